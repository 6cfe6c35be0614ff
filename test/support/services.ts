import { connect } from 'node:net';

/** The PostgreSQL the integration tests use: `LETTA_TEST_PG_URI`, or the local trust-auth server. */
export function testPgUri(): string {
  return process.env.LETTA_TEST_PG_URI || 'postgresql://postgres@127.0.0.1:5432/test';
}

/** The Redis the integration tests use: `LETTA_TEST_REDIS_URL`, or the local server. */
export function testRedisUrl(): string {
  return process.env.LETTA_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
}

type Service = 'postgres' | 'redis';

const endpoints: Record<Service, () => { url: string; defaultPort: number; envVar: string }> = {
  postgres: () => ({ url: testPgUri(), defaultPort: 5432, envVar: 'LETTA_TEST_PG_URI' }),
  redis: () => ({ url: testRedisUrl(), defaultPort: 6379, envVar: 'LETTA_TEST_REDIS_URL' }),
};

/** Whether something accepts TCP connections at host:port within `timeoutMs`. */
export function isReachable(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Whether a suite that needs `service` can run. Outside CI an absent service skips the suite with one
 * line on stderr; with `CI=true` an absent service is an error, so CI never passes by skipping.
 */
export async function requireService(service: Service): Promise<boolean> {
  const { url, defaultPort, envVar } = endpoints[service]();
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  if (await isReachable(host, Number(port) || defaultPort)) return true;
  const where = `${host}:${port || defaultPort}`;
  if (process.env.CI === 'true') {
    throw new Error(`${service} is not reachable at ${where} (set ${envVar}); CI requires it.`);
  }
  process.stderr.write(`skipping ${service} tests: nothing listening at ${where} (set ${envVar}).\n`);
  return false;
}
