import { join } from 'node:path';
import { explain, loadSettings, loadTestSettings, Secret } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { lettaSettingsModel, lettaTestSettingsModel } from '../src/letta/letta-models';
import { isolated } from './workspace';

type Kind = 'bool' | 'int' | 'float' | 'str' | 'secret' | 'list' | 'secretList' | 'hostPorts' | 'special';
/** path, env vars (first present wins), default (`~` = the home directory), kind, extra env a sample needs. */
type Row = [string, string[], unknown, Kind, Record<string, string>?];

const CORS = [
  'http://letta.localhost',
  'http://localhost:8283',
  'http://localhost:8083',
  'http://localhost:3000',
  'http://localhost:4200',
];
const L = (name: string) => [`LETTA_${name}`];
const CH = (name: string) => [`CLICKHOUSE_${name}`, `LETTA_CLICKHOUSE_${name}`];

// Letta's Settings, TelemetrySettings and LogSettings as the reference table states them, plus additions.
const ROWS: Row[] = [
  ['lettaDir', ['LETTA_DIR'], '~/.letta', 'special'],
  ['debug', L('DEBUG'), false, 'bool'],
  ['corsOrigins', L('CORS_ORIGINS'), CORS, 'list'],
  ['environment', L('ENVIRONMENT'), null, 'str'],
  ['enableKeepalive', L('ENABLE_KEEPALIVE'), true, 'bool'],
  ['keepaliveInterval', L('KEEPALIVE_INTERVAL'), 20, 'float'],
  ['enableCancellationAwareStreaming', L('ENABLE_CANCELLATION_AWARE_STREAMING'), true, 'bool'],
  ['defaultLlmHandle', L('DEFAULT_LLM_HANDLE'), null, 'str'],
  ['defaultEmbeddingHandle', L('DEFAULT_EMBEDDING_HANDLE'), null, 'str'],
  ['pgDb', L('PG_DB'), null, 'str'],
  ['pgUser', L('PG_USER'), null, 'str'],
  ['pgPassword', L('PG_PASSWORD'), null, 'secret'],
  ['pgHost', L('PG_HOST'), null, 'str'],
  ['pgPort', L('PG_PORT'), null, 'int'],
  ['pgUri', L('PG_URI'), null, 'special'],
  ['pgPoolSize', L('PG_POOL_SIZE'), 25, 'int'],
  ['pgMaxOverflow', L('PG_MAX_OVERFLOW'), 10, 'int'],
  ['pgPoolTimeout', L('PG_POOL_TIMEOUT'), 30, 'int'],
  ['pgPoolRecycle', L('PG_POOL_RECYCLE'), 1800, 'int'],
  ['pgEcho', L('PG_ECHO'), false, 'bool'],
  ['poolPrePing', L('POOL_PRE_PING'), true, 'bool'],
  ['poolUseLifo', L('POOL_USE_LIFO'), true, 'bool'],
  ['disableSqlalchemyPooling', L('DISABLE_SQLALCHEMY_POOLING'), true, 'bool'],
  ['dbMaxConcurrentSessions', L('DB_MAX_CONCURRENT_SESSIONS'), null, 'int'],
  ['pgReplicaUris', L('PG_REPLICA_URIS'), [], 'secretList'],
  ['pgDirectUri', L('PG_DIRECT_URI'), null, 'special'],
  ['redisHost', L('REDIS_HOST'), null, 'str'],
  ['redisPort', L('REDIS_PORT'), 6379, 'int'],
  ['redisPassword', L('REDIS_PASSWORD'), null, 'secret'],
  ['redisUsername', L('REDIS_USERNAME'), null, 'str'],
  ['redisDb', L('REDIS_DB'), 0, 'int'],
  ['redisTls', L('REDIS_TLS'), false, 'bool'],
  ['redisUrl', L('REDIS_URL'), null, 'special'],
  ['redisSentinels', L('REDIS_SENTINELS'), [], 'hostPorts', { LETTA_REDIS_SENTINEL_NAME: 'mymaster' }],
  ['redisSentinelName', L('REDIS_SENTINEL_NAME'), null, 'str', { LETTA_REDIS_SENTINELS: 's1:26379' }],
  ['redisClusterNodes', L('REDIS_CLUSTER_NODES'), [], 'hostPorts'],
  ['pluginRegister', L('PLUGIN_REGISTER'), null, 'special'],
  ['objectStoreUri', L('OBJECT_STORE_URI'), null, 'str'],
  ['objectStoreProject', L('OBJECT_STORE_PROJECT'), null, 'str'],
  ['memfsServiceUrl', L('MEMFS_SERVICE_URL'), null, 'str'],
  ['multiAgentSendMessageMaxRetries', L('MULTI_AGENT_SEND_MESSAGE_MAX_RETRIES'), 3, 'int'],
  ['multiAgentSendMessageTimeout', L('MULTI_AGENT_SEND_MESSAGE_TIMEOUT'), 1200, 'int'],
  ['multiAgentConcurrentSends', L('MULTI_AGENT_CONCURRENT_SENDS'), 50, 'int'],
  ['otelExporterOtlpEndpoint', L('OTEL_EXPORTER_OTLP_ENDPOINT'), null, 'str'],
  ['clickhouseEndpoint', CH('ENDPOINT'), null, 'str'],
  ['clickhouseDatabase', CH('DATABASE'), 'otel', 'str'],
  ['clickhouseUsername', CH('USERNAME'), 'default', 'str'],
  ['clickhousePassword', CH('PASSWORD'), null, 'secret'],
  ['otelPreferredTemporality', L('OTEL_PREFERRED_TEMPORALITY'), 1, 'special'],
  ['disableTracing', L('DISABLE_TRACING'), false, 'bool'],
  ['llmApiLogging', L('LLM_API_LOGGING'), true, 'bool'],
  ['trackLastAgentRun', L('TRACK_LAST_AGENT_RUN'), false, 'bool'],
  ['trackErroredMessages', L('TRACK_ERRORED_MESSAGES'), true, 'bool'],
  ['trackStopReason', L('TRACK_STOP_REASON'), true, 'bool'],
  ['trackAgentRun', L('TRACK_AGENT_RUN'), true, 'bool'],
  ['trackProviderTrace', L('TRACK_PROVIDER_TRACE'), true, 'bool'],
  ['storeLlmTraces', L('STORE_LLM_TRACES'), false, 'bool'],
  ['uvicornWorkers', L('UVICORN_WORKERS'), 1, 'int'],
  ['uvicornReload', L('UVICORN_RELOAD'), false, 'bool'],
  ['uvicornTimeoutKeepAlive', L('UVICORN_TIMEOUT_KEEP_ALIVE'), 5, 'int'],
  ['useUvloop', L('USE_UVLOOP'), false, 'bool'],
  ['useGranian', L('USE_GRANIAN'), false, 'bool'],
  ['sqlalchemyTracing', L('SQLALCHEMY_TRACING'), false, 'bool'],
  ['eventLoopThreadpoolMaxWorkers', L('EVENT_LOOP_THREADPOOL_MAX_WORKERS'), 43, 'int'],
  ['useVertexStructuredOutputsExperimental', L('USE_VERTEX_STRUCTURED_OUTPUTS_EXPERIMENTAL'), false, 'bool'],
  ['useAsyncioShield', L('USE_ASYNCIO_SHIELD'), true, 'bool'],
  ['useLettuceForFileUploads', L('USE_LETTUCE_FOR_FILE_UPLOADS'), false, 'bool'],
  ['enableDbPoolMonitoring', L('ENABLE_DB_POOL_MONITORING'), true, 'bool'],
  ['dbPoolMonitoringInterval', L('DB_POOL_MONITORING_INTERVAL'), 30, 'int'],
  ['enableBatchJobPolling', L('ENABLE_BATCH_JOB_POLLING'), false, 'bool'],
  ['pollRunningLlmBatchesIntervalSeconds', L('POLL_RUNNING_LLM_BATCHES_INTERVAL_SECONDS'), 300, 'int'],
  ['pollLockRetryIntervalSeconds', L('POLL_LOCK_RETRY_INTERVAL_SECONDS'), 480, 'int'],
  ['batchJobPollingLookbackWeeks', L('BATCH_JOB_POLLING_LOOKBACK_WEEKS'), 2, 'int'],
  ['batchJobPollingBatchSize', L('BATCH_JOB_POLLING_BATCH_SIZE'), null, 'int'],
  ['mistralApiKey', L('MISTRAL_API_KEY'), null, 'secret'],
  ['llmRequestTimeoutSeconds', L('LLM_REQUEST_TIMEOUT_SECONDS'), 60, 'float'],
  ['llmStreamTimeoutSeconds', L('LLM_STREAM_TIMEOUT_SECONDS'), 600, 'float'],
  ['enablePinecone', L('ENABLE_PINECONE'), false, 'bool'],
  ['pineconeApiKey', L('PINECONE_API_KEY'), null, 'secret'],
  ['pineconeSourceIndex', L('PINECONE_SOURCE_INDEX'), 'sources', 'str'],
  ['pineconeAgentIndex', L('PINECONE_AGENT_INDEX'), 'recall', 'str'],
  ['upsertPineconeIndices', L('UPSERT_PINECONE_INDICES'), false, 'bool'],
  ['useTpuf', L('USE_TPUF'), false, 'bool'],
  ['tpufApiKey', L('TPUF_API_KEY'), null, 'secret'],
  ['tpufRegion', L('TPUF_REGION'), 'gcp-us-central1', 'str'],
  ['embedAllMessages', L('EMBED_ALL_MESSAGES'), false, 'bool'],
  ['embedTools', L('EMBED_TOOLS'), false, 'bool'],
  ['encryptionKey', L('ENCRYPTION_KEY'), null, 'secret'],
  ['fileProcessingTimeoutMinutes', L('FILE_PROCESSING_TIMEOUT_MINUTES'), 30, 'int'],
  [
    'fileProcessingTimeoutErrorMessage',
    L('FILE_PROCESSING_TIMEOUT_ERROR_MESSAGE'),
    'File processing timed out after {} minutes. Please try again.',
    'str',
  ],
  ['defaultBaseUrl', L('DEFAULT_BASE_URL'), 'http://localhost:8283', 'str'],
  ['defaultToken', L('DEFAULT_TOKEN'), null, 'secret'],
  ['useLettaV1Agent', L('USE_LETTA_V1_AGENT'), false, 'bool'],
  ['archivalMemoryTokenLimit', L('ARCHIVAL_MEMORY_TOKEN_LIMIT'), 8192, 'int'],
  ['noDefaultActor', L('NO_DEFAULT_ACTOR'), false, 'bool'],

  ['telemetry.enableDatadog', L('TELEMETRY_ENABLE_DATADOG'), false, 'bool'],
  ['telemetry.datadogAgentHost', L('TELEMETRY_DATADOG_AGENT_HOST'), 'localhost', 'str'],
  ['telemetry.datadogAgentPort', L('TELEMETRY_DATADOG_AGENT_PORT'), 8126, 'int'],
  ['telemetry.datadogServiceName', L('TELEMETRY_DATADOG_SERVICE_NAME'), 'letta-server', 'str'],
  ['telemetry.datadogProfilingEnabled', L('TELEMETRY_DATADOG_PROFILING_ENABLED'), false, 'bool'],
  ['telemetry.datadogProfilingMemoryEnabled', L('TELEMETRY_DATADOG_PROFILING_MEMORY_ENABLED'), false, 'bool'],
  ['telemetry.datadogProfilingHeapEnabled', L('TELEMETRY_DATADOG_PROFILING_HEAP_ENABLED'), false, 'bool'],
  ['telemetry.datadogGitRepositoryUrl', ['DD_GIT_REPOSITORY_URL', 'DATADOG_GIT_REPOSITORY_URL'], null, 'str'],
  ['telemetry.datadogGitCommitSha', ['DD_GIT_COMMIT_SHA', 'DATADOG_GIT_COMMIT_SHA'], null, 'str'],
  ['telemetry.datadogMainPackage', ['DD_MAIN_PACKAGE', 'DATADOG_MAIN_PACKAGE'], 'letta', 'str'],
  ['telemetry.providerTraceBackend', L('TELEMETRY_PROVIDER_TRACE_BACKEND'), 'postgres', 'special'],
  ['telemetry.socketPath', ['TELEMETRY_SOCKET', 'SOCKET_PATH'], '/var/run/telemetry/telemetry.sock', 'str'],
  ['telemetry.source', L('TELEMETRY_SOURCE'), null, 'str'],
  ['telemetry.providerTracePgMetadataOnly', L('TELEMETRY_PROVIDER_TRACE_PG_METADATA_ONLY'), false, 'bool'],

  ['logging.debug', L('LOGGING_DEBUG'), false, 'bool'],
  ['logging.jsonLogging', L('LOGGING_JSON_LOGGING'), false, 'bool'],
  ['logging.logLevel', L('LOGGING_LOG_LEVEL'), 'WARNING', 'str'],
  ['logging.lettaLogPath', L('LOGGING_LETTA_LOG_PATH'), '~/.letta/logs/Letta.log', 'special'],
  ['logging.verboseTelemetryLogging', L('LOGGING_VERBOSE_TELEMETRY_LOGGING'), false, 'bool'],

  ['tool.e2bApiKey', ['E2B_API_KEY'], null, 'secret'],
  ['tool.e2bSandboxTemplateId', ['E2B_SANDBOX_TEMPLATE_ID'], null, 'str'],
  ['tool.modalTokenId', ['MODAL_TOKEN_ID'], null, 'str'],
  ['tool.modalTokenSecret', ['MODAL_TOKEN_SECRET'], null, 'secret'],
  ['tool.tavilyApiKey', ['TAVILY_API_KEY'], null, 'secret'],
  ['tool.exaApiKey', ['EXA_API_KEY'], null, 'secret'],
  ['tool.toolExecDir', ['TOOL_EXEC_DIR'], null, 'str'],
  ['tool.toolSandboxTimeout', ['TOOL_SANDBOX_TIMEOUT'], 180, 'float'],
  ['tool.toolExecVenvName', ['TOOL_EXEC_VENV_NAME'], null, 'str'],
  ['tool.toolExecAutoreloadVenv', ['TOOL_EXEC_AUTORELOAD_VENV'], true, 'bool'],
  ['tool.mcpConnectToServerTimeout', ['MCP_CONNECT_TO_SERVER_TIMEOUT'], 30, 'float'],
  ['tool.mcpListToolsTimeout', ['MCP_LIST_TOOLS_TIMEOUT'], 30, 'float'],
  ['tool.mcpExecuteToolTimeout', ['MCP_EXECUTE_TOOL_TIMEOUT'], 60, 'float'],
  ['tool.mcpReadFromConfig', ['MCP_READ_FROM_CONFIG'], false, 'bool'],
  ['tool.mcpDisableStdio', ['MCP_DISABLE_STDIO'], true, 'bool'],

  ['summarizer.mode', L('SUMMARIZER_MODE'), 'partial_evict_message_buffer_mode', 'special'],
  ['summarizer.messageBufferLimit', L('SUMMARIZER_MESSAGE_BUFFER_LIMIT'), 60, 'int'],
  ['summarizer.messageBufferMin', L('SUMMARIZER_MESSAGE_BUFFER_MIN'), 15, 'int'],
  ['summarizer.enableSummarization', L('SUMMARIZER_ENABLE_SUMMARIZATION'), true, 'bool'],
  ['summarizer.maxSummarizationRetries', L('SUMMARIZER_MAX_SUMMARIZATION_RETRIES'), 3, 'int'],
  [
    'summarizer.partialEvictSummarizerPercentage',
    L('SUMMARIZER_PARTIAL_EVICT_SUMMARIZER_PERCENTAGE'),
    0.3,
    'float',
  ],
  ['summarizer.evictAllMessages', L('SUMMARIZER_EVICT_ALL_MESSAGES'), false, 'bool'],
  ['summarizer.maxSummarizerRetries', L('SUMMARIZER_MAX_SUMMARIZER_RETRIES'), 3, 'int'],
  ['summarizer.memoryWarningThreshold', L('SUMMARIZER_MEMORY_WARNING_THRESHOLD'), 0.75, 'float'],
  ['summarizer.sendMemoryWarningMessage', L('SUMMARIZER_SEND_MEMORY_WARNING_MESSAGE'), false, 'bool'],
  ['summarizer.desiredMemoryTokenPressure', L('SUMMARIZER_DESIRED_MEMORY_TOKEN_PRESSURE'), 0.3, 'float'],
  ['summarizer.keepLastNMessages', L('SUMMARIZER_KEEP_LAST_N_MESSAGES'), 0, 'int'],

  ['readiness.enforcementEnabled', L('READINESS_ENFORCEMENT_ENABLED'), false, 'bool'],
  ['readiness.drainReturns503', L('READINESS_DRAIN_RETURNS_503'), true, 'bool'],
  ['readiness.eventLoopLagGatingEnabled', L('READINESS_EVENT_LOOP_LAG_GATING_ENABLED'), false, 'bool'],
  ['readiness.eventLoopLagThresholdMs', L('READINESS_EVENT_LOOP_LAG_THRESHOLD_MS'), 5000, 'special'],
  ['readiness.fgInFlightGatingEnabled', L('READINESS_FG_IN_FLIGHT_GATING_ENABLED'), false, 'bool'],
  ['readiness.fgInFlightThreshold', L('READINESS_FG_IN_FLIGHT_THRESHOLD'), 10, 'int'],
  ['readiness.bgInFlightGatingEnabled', L('READINESS_BG_IN_FLIGHT_GATING_ENABLED'), false, 'bool'],
  ['readiness.bgInFlightThreshold', L('READINESS_BG_IN_FLIGHT_THRESHOLD'), 15, 'int'],
  ['readiness.admissionWaitGatingEnabled', L('READINESS_ADMISSION_WAIT_GATING_ENABLED'), false, 'bool'],
  ['readiness.admissionWaitThresholdMs', L('READINESS_ADMISSION_WAIT_THRESHOLD_MS'), 300, 'special'],
  ['readiness.degradedStabilizationSeconds', L('READINESS_DEGRADED_STABILIZATION_SECONDS'), 30, 'float'],
  ['readiness.recoveryStabilizationSeconds', L('READINESS_RECOVERY_STABILIZATION_SECONDS'), 15, 'float'],
];

/** A raw env value for each kind and what it must load as. */
const SAMPLES: Record<Exclude<Kind, 'special'>, readonly [string, unknown]> = {
  bool: ['YES', true],
  int: ['42', 42],
  float: ['12.5', 12.5],
  str: ['some value', 'some value'],
  secret: ['s3cr3t', 's3cr3t'],
  list: ['https://a.example, https://b.example', ['https://a.example', 'https://b.example']],
  secretList: ['postgresql://a/db,postgres://b/db', ['postgresql://a/db', 'postgres://b/db']],
  hostPorts: [
    'a:1,[::1]:26379',
    [
      { host: 'a', port: 1 },
      { host: '::1', port: 26379 },
    ],
  ],
};
const SPECIAL: Record<string, readonly [string, unknown]> = {
  lettaDir: ['/srv/letta', '/srv/letta'],
  pgUri: ['postgresql://u:pw@db/letta', 'postgresql://u:pw@db/letta'],
  pgDirectUri: ['postgresql://direct/db', 'postgresql://direct/db'],
  redisUrl: ['rediss://cache:6380/1', 'rediss://cache:6380/1'],
  pluginRegister: ['a=m:f', 'a=m:f'],
  otelPreferredTemporality: ['2', 2],
  'telemetry.providerTraceBackend': ['clickhouse,socket', 'clickhouse,socket'],
  'logging.lettaLogPath': ['/var/log/letta.log', '/var/log/letta.log'],
  'summarizer.mode': ['static_message_buffer_mode', 'static_message_buffer_mode'],
  'readiness.eventLoopLagThresholdMs': ['250.5', 250.5],
  'readiness.admissionWaitThresholdMs': ['12.5', 12.5],
};

const SPECIAL_SECRET: Record<string, string> = {
  pgUri: 'postgresql://u:pw@db/letta',
  pgReplicaUris: 'postgresql://replica/db',
  pgDirectUri: 'postgresql://direct/db',
  redisUrl: 'redis://cache:6379',
};

function valueAt(settings: object, path: string): unknown {
  const value = path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], settings);
  if (value instanceof Secret) return value.reveal();
  return Array.isArray(value) ? value.map((item) => (item instanceof Secret ? item.reveal() : item)) : value;
}

describe('every Letta setting', () => {
  const model = lettaSettingsModel();

  it('the table covers exactly the schema', () => {
    expect(ROWS.map(([path]) => path).sort()).toEqual(model.fields.map((field) => field.path).sort());
  });

  describe.each(ROWS)(
    '%s',
    (path: string, envVars: readonly string[], defaultValue: unknown, kind: Kind, extraEnv: Record<
      string,
      string
    > = {}) => {
      const options = isolated();
      const home = options.home;
      const expectedDefault =
        typeof defaultValue === 'string' ? defaultValue.replace(/^~/, home) : defaultValue;

      it(`reads ${envVars.join(', then ')}`, () => {
        expect(model.fields.find((field) => field.path === path)?.envVars).toEqual(envVars);
      });

      it('has the default from the reference', () => {
        expect(valueAt(loadSettings(options), path)).toEqual(expectedDefault);
      });

      it.each(envVars)('parses a value set in %s', (envVar) => {
        const [raw, expected] = kind === 'special' ? (SPECIAL[path] ?? ['', undefined]) : SAMPLES[kind];
        const settings = loadSettings({ ...options, env: { ...extraEnv, [envVar]: raw } });
        expect(valueAt(settings, path)).toEqual(expected);
        expect(explain(settings).find((entry) => entry.path === path)).toMatchObject({
          source: 'env',
          envVar,
        });
      });
    },
  );

  it('lets the first alias present win', () => {
    const env = { CLICKHOUSE_DATABASE: 'first', LETTA_CLICKHOUSE_DATABASE: 'second', SOCKET_PATH: '/s2' };
    const settings = loadSettings({ ...isolated(), env: { ...env, TELEMETRY_SOCKET: '/s1' } });
    expect(settings.clickhouseDatabase).toBe('first');
    expect(settings.telemetry.socketPath).toBe('/s1');
  });

  it('makes every password, key, token and URI a Secret', () => {
    const secrets = [
      'pgPassword',
      'pgUri',
      'pgReplicaUris',
      'pgDirectUri',
      'redisPassword',
      'redisUrl',
      'clickhousePassword',
      'mistralApiKey',
      'pineconeApiKey',
      'tpufApiKey',
      'encryptionKey',
      'defaultToken',
      'tool.e2bApiKey',
      'tool.modalTokenSecret',
      'tool.tavilyApiKey',
      'tool.exaApiKey',
    ];
    expect(model.fields.filter((field) => field.secret).map((field) => field.path)).toEqual(secrets);
    const env = Object.fromEntries(
      secrets.map((path) => [model.byPath.get(path)?.envVars[0] ?? '', SPECIAL_SECRET[path] ?? 'x']),
    );
    const settings = loadSettings({ ...isolated(), env });
    for (const path of secrets) {
      const value = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], settings);
      expect(Array.isArray(value) ? value[0] : value, path).toBeInstanceOf(Secret);
    }
  });
});

describe('Letta test settings', () => {
  it('reads every server setting from LETTA_TEST_*, except the aliased ones', () => {
    const fields = lettaTestSettingsModel().fields;
    expect(fields.find((field) => field.path === 'pgUri')?.envVars).toEqual(['LETTA_TEST_PG_URI']);
    expect(fields.find((field) => field.path === 'lettaDir')?.envVars).toEqual(['LETTA_TEST_DIR']);
    expect(fields.find((field) => field.path === 'objectStoreUri')?.envVars).toEqual([
      'LETTA_OBJECT_STORE_URI',
    ]);
    // Letta's TestSettings inherits these validation aliases, so it reads them without LETTA_TEST_.
    expect(fields.find((field) => field.path === 'objectStoreProject')?.envVars).toEqual([
      'LETTA_OBJECT_STORE_PROJECT',
    ]);
    expect(fields.find((field) => field.path === 'memfsServiceUrl')?.envVars).toEqual([
      'LETTA_MEMFS_SERVICE_URL',
    ]);
    expect(fields.find((field) => field.path === 'clickhouseEndpoint')?.envVars).toEqual(CH('ENDPOINT'));
    expect(fields).toHaveLength(
      lettaSettingsModel().fields.filter((field) => !field.path.includes('.')).length,
    );
  });

  it('defaults lettaDir to ~/.letta/test and loads LETTA_TEST_PG_URI', () => {
    const options = isolated({
      LETTA_TEST_PG_URI: 'postgresql://postgres@127.0.0.1:5432/test',
      LETTA_PG_URI: 'postgresql://other/db',
    });
    const settings = loadTestSettings(options);
    expect(settings.lettaDir).toBe(join(options.home, '.letta', 'test'));
    expect(settings.lettaPgUri.reveal()).toBe('postgresql://postgres@127.0.0.1:5432/test');
    expect(settings.databaseEngine).toBe('postgres');
  });
});
