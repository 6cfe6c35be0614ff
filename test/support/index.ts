export { freePort } from './free-port';
export { requireProgram } from './programs';
export { type RedisServerProcess, startRedisServer } from './redis-server';
export { isReachable, requireService, testPgUri, testRedisUrl } from './services';
