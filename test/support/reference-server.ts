import {
  type ServerProcess,
  type StartOptions,
  startServerProcess,
} from '../../examples/reference-server/test/server-process';

/** A built reference server that Prometheus can scrape: the process plus its `host:port` scrape target. */
export interface ScrapableReferenceServer extends ServerProcess {
  /** `127.0.0.1:PORT`, for a scrape job's `targets`. */
  readonly target: string;
}

/**
 * Starts the built reference server (`examples/reference-server/dist/main.js`; run `pnpm build` first) on
 * a free loopback port, with a clean environment plus `options.env`. Stop it with `cleanup()`.
 */
export async function startReferenceServer(options: StartOptions = {}): Promise<ScrapableReferenceServer> {
  const server = await startServerProcess(options);
  return { ...server, target: new URL(server.url).host };
}
