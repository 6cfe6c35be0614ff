import type { Secret } from '@letta/core';
import { finishSettings } from '../loader/explain';
import type { LoadOptions } from '../loader/load-options';
import { resolveSettings } from '../loader/resolve-settings';
import type { SettingsOf, SettingsOverrides } from '../loader/settings-types';
import { deriveServerSettings, type PluginRegistration, resolveLettaSettings } from './letta-derived';
import type { readinessShape, summarizerShape, toolShape } from './letta-groups-schema';
import { lettaExtensions, lettaTestExtensions } from './letta-layers';
import type { lettaShape, SECRETS, testShape } from './letta-models';
import type { loggingShape, serverShape, telemetryShape } from './letta-schema';
import { lettaTableModel, lettaTestTableModel } from './letta-table-models';

type LettaSecret = (typeof SECRETS)[number];
type ToolSecret = LettaSecret extends `tool.${infer Field}` ? Field : never;

/** What Letta computes from the server fields. */
interface DerivedSettings {
  /** `pgUri`, else a URI built from the `pg*` parts, else `postgresql://letta:letta@localhost:5432/letta`. */
  readonly lettaPgUri: Secret;
  /** Like `lettaPgUri`, but `null` instead of the hard default: no Postgres is configured. */
  readonly lettaPgUriNoDefault: Secret | null;
  /** `postgres` when a Postgres URI is configured, else `sqlite`. */
  readonly databaseEngine: 'postgres' | 'sqlite';
  /** `pluginRegister` parsed: `{ name: { target: 'module:attr' } }`. */
  readonly pluginRegisterDict: Readonly<Record<string, PluginRegistration>>;
}

/** Letta's `TelemetrySettings`: `settings.telemetry`, env prefix `LETTA_TELEMETRY_`. */
export interface TelemetrySettings extends SettingsOf<typeof telemetryShape, never> {
  /** `providerTraceBackend` split on commas, trimmed. */
  readonly providerTraceBackends: readonly string[];
  /** True when `socket` is one of the trace backends. */
  readonly socketBackendEnabled: boolean;
}

/** Letta's `LogSettings`: `settings.logging`, env prefix `LETTA_LOGGING_`. */
export type LogSettings = SettingsOf<typeof loggingShape, never>;

/** Letta's `ToolSettings`: `settings.tool`, read from un-prefixed variables (`E2B_API_KEY`, `MCP_DISABLE_STDIO`). */
export interface ToolSettings extends SettingsOf<typeof toolShape, ToolSecret> {
  /** True when both Modal token fields are set. */
  readonly modalSandboxEnabled: boolean;
  /** `e2b` when an E2B API key is set, else `local` (Modal is chosen separately, by `modalSandboxEnabled`). */
  readonly sandboxType: 'e2b' | 'local';
}

/** Letta's `SummarizerSettings`: `settings.summarizer`, env prefix `LETTA_SUMMARIZER_`. */
export type SummarizerSettings = SettingsOf<typeof summarizerShape, never>;

/** Letta's `ReadinessSettings`: `settings.readiness`, env prefix `LETTA_READINESS_`; every gate off by default. */
export type ReadinessSettings = SettingsOf<typeof readinessShape, never>;

/** Letta's `TestSettings`: the server fields read from `LETTA_TEST_*`, for test suites. */
export interface TestSettings extends SettingsOf<typeof testShape, LettaSecret>, DerivedSettings {}

/** Letta's `Settings` (prefix `LETTA_`) with the groups of Letta's other settings classes. */
export interface Settings extends SettingsOf<typeof serverShape, LettaSecret>, DerivedSettings {
  readonly telemetry: TelemetrySettings;
  readonly logging: LogSettings;
  readonly tool: ToolSettings;
  readonly summarizer: SummarizerSettings;
  readonly readiness: ReadinessSettings;
  /** True when `clickhouse` is one of the telemetry trace backends. */
  readonly useClickhouseForProviderTraces: boolean;
}

/** Options of `loadSettings`. */
export type LoadSettingsOptions = LoadOptions<SettingsOverrides<typeof lettaShape, LettaSecret>>;
/** Options of `loadTestSettings`. */
export type LoadTestSettingsOptions = LoadOptions<SettingsOverrides<typeof testShape, LettaSecret>>;

/**
 * Loads Letta's settings from overrides, the environment, `.env` files and config files (in that
 * precedence), validates them, and returns them deep-frozen. Throws `SettingsError` listing every
 * problem. Never mutates `process.env`.
 *
 * ```ts
 * const settings = loadSettings({ env: { LETTA_PG_POOL_SIZE: '10' } });
 * settings.pgPoolSize; // 10
 * ```
 */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const resolution = resolveLettaSettings(lettaTableModel(), options, lettaExtensions);
  return finishSettings<Settings>(resolution, options);
}

/** Loads Letta's test settings: the server fields from `LETTA_TEST_*` (e.g. `LETTA_TEST_PG_URI`). */
export function loadTestSettings(options: LoadTestSettingsOptions = {}): TestSettings {
  const resolution = resolveSettings(lettaTestTableModel(), options, lettaTestExtensions);
  deriveServerSettings(resolution, 'LETTA_TEST_');
  return finishSettings<TestSettings>(resolution, options);
}

let cached: Settings | undefined;

/** `loadSettings()` once per process, then the same object. `resetSettings()` forgets it (for tests). */
export function getSettings(): Settings {
  cached ??= loadSettings();
  return cached;
}

/** Forgets the settings `getSettings()` cached, so the next call loads them again. */
export function resetSettings(): void {
  cached = undefined;
}
