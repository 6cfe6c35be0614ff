export { runCommonJsProgram } from './commonjs-program';
export { freePort } from './free-port';
export {
  type OtlpExport,
  type OtlpJsonSpan,
  type OtlpReceiver,
  otlpAttribute,
  otlpJsonSpans,
  startOtlpReceiver,
} from './otlp-receiver';
export {
  initDataDir,
  PG_SERVER_EXECUTABLES,
  type PgCtlServer,
  type PgServerOptions,
  type PgServerProcess,
  pgCtlServer,
  startPgServer,
  throwawaySettings,
} from './pg-server';
export {
  findExecutable,
  PG_BIN,
  postgresOwnedDir,
  requireExecutables,
  runAsPostgres,
  runAsPostgresSync,
  spawnAsPostgres,
} from './postgres-user';
export { findProgram, requireProgram } from './programs';
export {
  type PrometheusConfigOptions,
  type PrometheusProcess,
  type PrometheusSample,
  prometheusConfig,
  type ScrapeJob,
  startPrometheus,
} from './prometheus';
export { type PromtoolResult, runPromtool } from './promtool';
export { type RedisServerProcess, startRedisServer } from './redis-server';
export { type ScrapableReferenceServer, startReferenceServer } from './reference-server';
export { referenceTrafficRound, startReferenceTraffic } from './reference-traffic';
export { runWithResolvedPackages } from './resolved-packages';
export { isReachable, requireService, testPgUri, testRedisUrl } from './services';
export { until } from './until';
