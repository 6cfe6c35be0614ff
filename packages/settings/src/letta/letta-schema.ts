import { lettaPoolDefaults, lettaPoolMinimums } from '@letta/core';
import { z } from 'zod';
import { HOST_PORT, toAddress } from './host-port';

const bool = (value: boolean, description: string) => z.boolean().default(value).describe(description);
const int = (value: number, description: string) => z.int().default(value).describe(description);
const seconds = (value: number, description: string) =>
  z.int().default(value).describe(`${description} (seconds)`);
const text = (value: string, description: string) => z.string().default(value).describe(description);
const optionalText = (description: string) => z.string().nullable().default(null).describe(description);
const port = (value: number | null, description: string) =>
  z.int().min(1).max(65535).nullable().default(value).describe(description);

// Written without the `i` flag, so that the JSON Schema (whose patterns have no flags) says the same.
const POSTGRES_URI = /^[Pp][Oo][Ss][Tt][Gg][Rr][Ee][Ss](?:[Qq][Ll])?(?:\+[A-Za-z0-9]+)?:\/\//;
const pgUri = z.string().regex(POSTGRES_URI, { message: 'expected a postgres:// or postgresql:// URI' });

const PLUGIN = String.raw`[^=;]*[^=;\s][^=;]*=[^=;]*[^=;\s][^=;]*`;
/** `name=module:attr` entries separated by `;`, each part non-blank. */
const PLUGIN_REGISTER = new RegExp(`^${PLUGIN}(?:;${PLUGIN})*$`);

const TRACE_BACKEND = String.raw`\s*(?:postgres|clickhouse|socket)?\s*`;
/** A comma list of trace backends; blank items are skipped. */
const TRACE_BACKENDS = new RegExp(`^${TRACE_BACKEND}(?:,${TRACE_BACKEND})*$`);

// The regex does all the checking, so that the loader (and the CLI, without zod) can run it itself.
const hostPort = z
  .string()
  .regex(HOST_PORT, { message: 'expected host:port, e.g. redis-1:26379 or [::1]:26379' })
  .transform(toAddress);
const hostPortList = (description: string) => z.array(hostPort).default([]).describe(description);

/** The five origins Letta always allows; `ACCEPTABLE_ORIGINS` extends them. */
const DEFAULT_CORS_ORIGINS: readonly string[] = [
  'http://letta.localhost',
  'http://localhost:8283',
  'http://localhost:8083',
  'http://localhost:3000',
  'http://localhost:4200',
];

/** Letta's `Settings` fields (prefix `LETTA_`), plus the Redis and Postgres scale-out additions. */
export const serverShape = {
  lettaDir: text(
    '~/.letta',
    'Letta home directory: holds sqlite.db and the optional log file logs/Letta.log; "~" is the home directory',
  ),
  debug: z
    .boolean()
    .nullable()
    .default(false)
    .describe('Log at DEBUG whatever LETTA_LOGGING_LOG_LEVEL says (Letta: DEBUG instead of INFO)'),
  corsOrigins: z
    .array(z.string())
    .nullable()
    .default([...DEFAULT_CORS_ORIGINS])
    .describe(
      'Allowed CORS origins; unset, the five localhost origins plus ACCEPTABLE_ORIGINS (a comma list)',
    ),
  environment: optionalText(
    'Deployment environment, e.g. DEV or prod (OpenTelemetry deployment.environment)',
  ),
  enableKeepalive: bool(true, 'Send keepalive events on SSE streams'),
  keepaliveInterval: z.number().default(20).describe('Interval between SSE keepalive events (seconds)'),
  enableCancellationAwareStreaming: bool(true, 'Stop streaming when the client cancels the run'),
  defaultLlmHandle: optionalText('Default LLM handle for new agents, e.g. openai/gpt-4o-mini'),
  defaultEmbeddingHandle: optionalText('Default embedding handle for new agents'),

  pgDb: optionalText(
    'Postgres database name (used with the other LETTA_PG_* parts when LETTA_PG_URI is unset)',
  ),
  pgUser: optionalText('Postgres user'),
  pgPassword: optionalText('Postgres password'),
  pgHost: optionalText('Postgres host (an IPv6 address is bracketed in the URI)'),
  pgPort: z.int().nullable().default(null).describe('Postgres port'),
  pgUri: pgUri
    .nullable()
    .default(null)
    .describe('Full Postgres URI; takes precedence over the LETTA_PG_* parts'),
  pgPoolSize: z
    .int()
    .min(lettaPoolMinimums.poolSize)
    .default(lettaPoolDefaults.poolSize)
    .describe('Connections kept in the pool (only when pooling is enabled); 0 means no limit'),
  pgMaxOverflow: z
    .int()
    .min(lettaPoolMinimums.maxOverflow)
    .default(lettaPoolDefaults.maxOverflow)
    .describe('Connections allowed beyond the pool size; -1 means no limit'),
  pgPoolTimeout: z
    .int()
    .min(lettaPoolMinimums.poolTimeoutSeconds)
    .default(lettaPoolDefaults.poolTimeoutSeconds)
    .describe('Wait for a free connection, and the connect timeout (seconds)'),
  pgPoolRecycle: seconds(
    lettaPoolDefaults.recycleSeconds,
    'Connection age after which it is replaced; 0 or less never replaces it',
  ),
  pgEcho: bool(false, 'Log every SQL statement'),
  poolPrePing: bool(lettaPoolDefaults.prePing, 'Check a connection with a ping before handing it out'),
  poolUseLifo: bool(
    lettaPoolDefaults.useLifo,
    'Hand out the most recently used connection first (unused by Letta since 2025-09)',
  ),
  disableSqlalchemyPooling: bool(
    lettaPoolDefaults.disablePooling,
    'Open a connection per checkout instead of pooling (NullPool)',
  ),
  dbMaxConcurrentSessions: z
    .int()
    .min(lettaPoolMinimums.maxConcurrentSessions)
    .nullable()
    .default(null)
    .describe('Maximum concurrent sessions (unused by Letta)'),
  pgReplicaUris: z
    .array(pgUri)
    .default([])
    .describe('Read-replica URIs, a JSON array or a comma list (addition: not in Letta)'),
  pgDirectUri: pgUri
    .nullable()
    .default(null)
    .describe(
      'Direct Postgres URI that bypasses PgBouncer, for session-level features such as advisory locks (addition)',
    ),

  redisHost: optionalText('Redis host; with no Redis topology configured, a no-op client is used'),
  redisPort: port(6379, 'Redis port'),
  redisPassword: optionalText('Redis password (addition)'),
  redisUsername: optionalText('Redis ACL user name (addition)'),
  redisDb: z.int().min(0).default(0).describe('Redis database number (addition)'),
  redisTls: bool(false, 'Connect to Redis over TLS (addition)'),
  redisUrl: z
    .string()
    .regex(/^[Rr][Ee][Dd][Ii][Ss][Ss]?:\/\//, { message: 'expected a redis:// or rediss:// URL' })
    .nullable()
    .default(null)
    .describe('Redis URL, redis:// or rediss://, instead of host and port (addition)'),
  redisSentinels: hostPortList(
    'Redis Sentinel addresses, host:port, as a JSON array or a comma list (addition)',
  ),
  redisSentinelName: optionalText('Name of the master group the Sentinels monitor (addition)'),
  redisClusterNodes: hostPortList(
    'Redis Cluster seed nodes, host:port, as a JSON array or a comma list (addition)',
  ),

  pluginRegister: z
    .string()
    .regex(PLUGIN_REGISTER, { message: 'expected name=module:attr entries separated by ";"' })
    .nullable()
    .default(null)
    .describe('Plugins to register: name=module:attr entries separated by ";"'),
  objectStoreUri: optionalText('Object store URI, e.g. gs://bucket/prefix?project=...'),
  objectStoreProject: optionalText('Object store project'),
  memfsServiceUrl: optionalText('URL of the memory file-system service'),
  multiAgentSendMessageMaxRetries: int(3, 'Retries when one agent sends a message to another'),
  multiAgentSendMessageTimeout: seconds(1200, 'Timeout of a message between agents'),
  multiAgentConcurrentSends: int(50, 'Concurrent messages between agents'),

  otelExporterOtlpEndpoint: optionalText('OTLP endpoint; setting it turns on tracing and metrics'),
  clickhouseEndpoint: optionalText('ClickHouse endpoint'),
  clickhouseDatabase: z.string().nullable().default('otel').describe('ClickHouse database'),
  clickhouseUsername: z.string().nullable().default('default').describe('ClickHouse user name'),
  clickhousePassword: optionalText('ClickHouse password'),
  otelPreferredTemporality: z
    .int()
    .min(0)
    .max(2)
    .nullable()
    .default(1)
    .describe('Preferred metric temporality: 0 unspecified, 1 delta, 2 cumulative'),
  disableTracing: bool(false, 'Turn off OTLP traces and metrics'),
  llmApiLogging: bool(true, 'Log LLM API requests and responses'),
  trackLastAgentRun: bool(false, 'Record the last run of each agent'),
  trackErroredMessages: bool(true, 'Keep messages of failed steps'),
  trackStopReason: bool(true, 'Record why each run stopped'),
  trackAgentRun: bool(true, 'Record agent runs'),
  trackProviderTrace: bool(true, 'Record LLM provider traces'),
  storeLlmTraces: bool(false, 'Store LLM traces in ClickHouse'),

  uvicornWorkers: int(1, 'Server worker processes'),
  uvicornReload: bool(false, 'Reload the server when code changes'),
  uvicornTimeoutKeepAlive: seconds(5, 'HTTP keep-alive timeout'),
  useUvloop: bool(false, 'Use uvloop (Python server only)'),
  useGranian: bool(false, 'Use Granian instead of uvicorn (Python server only)'),
  sqlalchemyTracing: bool(false, 'Trace SQL statements'),
  eventLoopThreadpoolMaxWorkers: int(43, 'Event-loop thread pool size (unused by Letta)'),
  useVertexStructuredOutputsExperimental: bool(false, 'Experimental: Vertex structured outputs'),
  useAsyncioShield: bool(true, 'Shield in-flight work from cancellation'),
  useLettuceForFileUploads: bool(false, 'Process file uploads with Lettuce'),
  enableDbPoolMonitoring: bool(true, 'Record database pool metrics'),
  dbPoolMonitoringInterval: seconds(
    30,
    'How often the database health gauges (letta.db.*) refresh; Letta declares it but never reads it',
  ),

  enableBatchJobPolling: bool(false, 'Poll running LLM batch jobs (also gates leader election)'),
  pollRunningLlmBatchesIntervalSeconds: seconds(300, 'Interval between batch polls'),
  pollLockRetryIntervalSeconds: seconds(480, 'Interval between attempts to take the polling lock'),
  batchJobPollingLookbackWeeks: int(2, 'How far back batch polling looks (weeks)'),
  batchJobPollingBatchSize: z
    .int()
    .nullable()
    .default(null)
    .describe('Batches fetched per poll; unset means all'),

  mistralApiKey: optionalText('Mistral API key, for OCR'),
  llmRequestTimeoutSeconds: z
    .number()
    .min(10)
    .max(1800)
    .default(60)
    .describe('LLM request timeout (seconds)'),
  llmStreamTimeoutSeconds: z.number().min(10).max(1800).default(600).describe('LLM stream timeout (seconds)'),
  enablePinecone: bool(false, 'Use Pinecone for embeddings'),
  pineconeApiKey: optionalText('Pinecone API key'),
  pineconeSourceIndex: z.string().nullable().default('sources').describe('Pinecone index for sources'),
  pineconeAgentIndex: z.string().nullable().default('recall').describe('Pinecone index for agent memory'),
  upsertPineconeIndices: bool(false, 'Create the Pinecone indices when missing'),
  useTpuf: bool(false, 'Use Turbopuffer for embeddings'),
  tpufApiKey: optionalText('Turbopuffer API key'),
  tpufRegion: text('gcp-us-central1', 'Turbopuffer region'),
  embedAllMessages: bool(false, 'Embed every message'),
  embedTools: bool(false, 'Embed tools'),
  encryptionKey: optionalText('Master key for encrypting stored secrets (AES-GCM)'),
  fileProcessingTimeoutMinutes: int(30, 'File processing timeout (minutes)'),
  fileProcessingTimeoutErrorMessage: text(
    'File processing timed out after {} minutes. Please try again.',
    'Error shown when file processing times out; {} is replaced by the minutes',
  ),
  defaultBaseUrl: text('http://localhost:8283', 'Base URL of the Letta server for clients'),
  defaultToken: optionalText('Default API token for clients'),
  useLettaV1Agent: bool(false, 'Use the v1 agent loop'),
  archivalMemoryTokenLimit: int(8192, 'Token limit of one archival memory entry'),
  noDefaultActor: bool(false, 'Do not create the default organization and user at startup'),
};

/** Letta's `TelemetrySettings` (prefix `LETTA_TELEMETRY_`). */
export const telemetryShape = {
  enableDatadog: bool(false, 'Turn on Datadog APM tracing (ddtrace)'),
  datadogAgentHost: text('localhost', 'Datadog agent host'),
  datadogAgentPort: z.int().min(1).max(65535).default(8126).describe('Datadog agent port'),
  datadogServiceName: text('letta-server', 'Service name reported to Datadog'),
  datadogProfilingEnabled: bool(false, 'Datadog profiling'),
  datadogProfilingMemoryEnabled: bool(false, 'Datadog memory profiling'),
  datadogProfilingHeapEnabled: bool(false, 'Datadog heap profiling'),
  datadogGitRepositoryUrl: optionalText('Git repository URL reported to Datadog'),
  datadogGitCommitSha: optionalText('Git commit reported to Datadog'),
  datadogMainPackage: text('letta', 'Main package reported to Datadog'),
  providerTraceBackend: z
    .string()
    .regex(TRACE_BACKENDS, { message: 'expected a comma list of postgres, clickhouse, socket' })
    .default('postgres')
    .describe('Where provider traces go: a comma list of postgres, clickhouse, socket'),
  socketPath: text('/var/run/telemetry/telemetry.sock', 'Unix socket of the socket trace backend'),
  source: optionalText('Source tag added to telemetry'),
  providerTracePgMetadataOnly: bool(false, 'Store only provider-trace metadata in Postgres'),
};

/** Letta's `LogSettings` (prefix `LETTA_LOGGING_`). */
export const loggingShape = {
  debug: bool(false, 'Debug logging (unused, as in Letta: LETTA_DEBUG decides)'),
  jsonLogging: bool(false, 'Log JSON lines instead of text'),
  logLevel: z
    .string()
    .nullable()
    .default('WARNING')
    .describe(
      'Log level: DEBUG, INFO, WARNING, ERROR or CRITICAL; LETTA_DEBUG=true means DEBUG (Letta ignores it and logs at INFO)',
    ),
  lettaLogPath: z
    .string()
    .nullable()
    .default('~/.letta/logs/Letta.log')
    .describe(
      'Log file (unused by Letta, which writes to <LETTA_DIR>/logs/Letta.log); "~" is the home directory',
    ),
  verboseTelemetryLogging: bool(false, 'Log telemetry events at INFO'),
};
