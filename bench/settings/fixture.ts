import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lettaSettingsModel } from '../../packages/settings/src/letta/letta-models';

/** About 40 variables a production deployment sets, across every group and value kind. */
export const benchEnv: Record<string, string> = {
  LETTA_PG_URI: 'postgresql://letta:s3cret@db.internal:5432/letta',
  LETTA_PG_REPLICA_URIS:
    'postgresql://letta:s3cret@replica-1:5432/letta,postgresql://letta:s3cret@replica-2:5432/letta',
  LETTA_PG_POOL_SIZE: '20',
  LETTA_PG_MAX_OVERFLOW: '5',
  LETTA_PG_POOL_TIMEOUT: '10',
  LETTA_PG_POOL_RECYCLE: '900',
  LETTA_POOL_PRE_PING: 'true',
  LETTA_DISABLE_SQLALCHEMY_POOLING: 'false',
  LETTA_REDIS_HOST: 'redis.internal',
  LETTA_REDIS_PORT: '6380',
  LETTA_REDIS_PASSWORD: 'r3dis',
  LETTA_REDIS_DB: '2',
  LETTA_ENVIRONMENT: 'prod',
  LETTA_DEBUG: 'false',
  LETTA_CORS_ORIGINS: '["https://app.example.com","https://admin.example.com"]',
  LETTA_OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4317',
  LETTA_OTEL_PREFERRED_TEMPORALITY: '2',
  LETTA_DISABLE_TRACING: 'false',
  CLICKHOUSE_ENDPOINT: 'https://clickhouse.internal:8443',
  CLICKHOUSE_PASSWORD: 'cl1ckhouse',
  LETTA_UVICORN_WORKERS: '4',
  LETTA_LLM_REQUEST_TIMEOUT_SECONDS: '120',
  LETTA_LLM_STREAM_TIMEOUT_SECONDS: '900.5',
  LETTA_ENCRYPTION_KEY: 'k3y',
  LETTA_MISTRAL_API_KEY: 'm1stral',
  LETTA_ENABLE_BATCH_JOB_POLLING: 'true',
  LETTA_POLL_RUNNING_LLM_BATCHES_INTERVAL_SECONDS: '120',
  LETTA_BATCH_JOB_POLLING_BATCH_SIZE: '50',
  LETTA_KEEPALIVE_INTERVAL: '15.5',
  LETTA_TRACK_LAST_AGENT_RUN: 'yes',
  LETTA_STORE_LLM_TRACES: 'on',
  LETTA_USE_TPUF: '1',
  LETTA_TPUF_API_KEY: 'tpuf',
  LETTA_DEFAULT_LLM_HANDLE: 'openai/gpt-4o-mini',
  LETTA_ARCHIVAL_MEMORY_TOKEN_LIMIT: '4096',
  LETTA_TELEMETRY_ENABLE_DATADOG: 'true',
  LETTA_TELEMETRY_DATADOG_AGENT_HOST: 'dd-agent',
  LETTA_TELEMETRY_DATADOG_AGENT_PORT: '8125',
  LETTA_TELEMETRY_PROVIDER_TRACE_BACKEND: 'postgres,clickhouse',
  DD_GIT_COMMIT_SHA: '0123abcd',
  LETTA_LOGGING_JSON_LOGGING: 'true',
};

const CONF_YAML = `letta:
  dir: /srv/letta
  multi_agent_concurrent_sends: 20
  pinecone:
    source_index: sources-prod
    agent_index: recall-prod
  telemetry:
    datadog_service_name: letta-prod
  logging:
    verbose_telemetry_logging: true
`;

/** One field as the bare-zod baseline needs it: where to read it and how to coerce it. */
export interface ManifestField {
  readonly path: string;
  readonly envVars: readonly string[];
  readonly fileName: string;
  readonly kind: string;
  readonly nullable: boolean;
  readonly default: unknown;
}

/** A directory with `conf.yaml` and `manifest.json` (the Letta fields, for the baseline). */
export function createFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'letta-settings-bench-'));
  writeFileSync(join(dir, 'conf.yaml'), CONF_YAML);
  const manifest: ManifestField[] = lettaSettingsModel().fields.map((field) => ({
    path: field.path,
    envVars: field.envVars,
    fileName: field.configKey.toUpperCase().replaceAll('.', '_'),
    kind: field.kind,
    nullable: field.nullable,
    default: field.default,
  }));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}
