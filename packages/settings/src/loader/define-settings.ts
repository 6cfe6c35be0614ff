import type { z } from 'zod';
import { buildModel, publicFields } from './build-model';
import { finishSettings } from './explain';
import type { LoadOptions } from './load-options';
import { resolveSettings } from './resolve-settings';
import type { SettingField } from './setting-field';
import type { FieldPath, SettingsOf, SettingsOverrides, SettingsShape } from './settings-types';

/** A settings schema bound to its env prefix: load it, or read its fields to generate docs. */
export interface SettingsDefinition<TSettings, TOverrides> {
  readonly prefix: string;
  /** Every setting with its env vars, config key, type, default, secrecy and description. */
  readonly fields: readonly SettingField[];
  /** Loads and validates the settings; throws `SettingsError` with every problem at once. */
  load(options?: LoadOptions<TOverrides>): TSettings;
}

/** What `defineSettings` takes. */
export interface DefineSettingsOptions<S extends SettingsShape, Secrets extends FieldPath<S>> {
  /** Upper-case prefix of every env var, ending in `_`, e.g. `MYAPP_`. Groups extend it: `MYAPP_DB_`. */
  readonly prefix: string;
  /** A `z.object` of settings; nested `z.object`s are groups. Defaults, ranges and descriptions live here. */
  readonly schema: z.ZodObject<S, z.core.$ZodObjectConfig>;
  /** Settings whose values become `Secret`s (strings or lists of strings). */
  readonly secrets?: readonly Secrets[];
  /** Env vars read instead of the prefixed name, first one present wins, e.g. `{ port: ['PORT'] }`. */
  readonly aliases?: { readonly [P in FieldPath<S>]?: readonly string[] };
}

/**
 * Defines a service's own settings with the same machinery as Letta's: env vars named from the prefix
 * and the camelCase keys (`apiKey` → `MYAPP_API_KEY`), `.env` and YAML/JSON files (under `myapp:`),
 * strict parsing, secrets, errors that name the variable or `file:line:column`, and provenance.
 *
 * ```ts
 * const app = defineSettings({
 *   prefix: 'MYAPP_',
 *   schema: z.object({ port: z.int().min(1).max(65535).default(8080), apiKey: z.string().nullable().default(null) }),
 *   secrets: ['apiKey'],
 * });
 * const settings = app.load(); // { port: number; apiKey: Secret | null }
 * ```
 */
export function defineSettings<S extends SettingsShape, const Secrets extends FieldPath<S> = never>(
  options: DefineSettingsOptions<S, Secrets>,
): SettingsDefinition<SettingsOf<S, Secrets>, SettingsOverrides<S, Secrets>> {
  const model = buildModel(options);
  return Object.freeze({
    prefix: model.prefix,
    fields: publicFields(model),
    load: (loadOptions: LoadOptions<SettingsOverrides<S, Secrets>> = {}) =>
      finishSettings<SettingsOf<S, Secrets>>(resolveSettings(model, loadOptions, {}), loadOptions),
  });
}
