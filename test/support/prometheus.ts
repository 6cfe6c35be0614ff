import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { freePort } from './free-port';

/** One element of an instant vector: the series' labels and its value. */
export interface PrometheusSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A Prometheus server owned by one test, on a free loopback port, with its own storage directory. */
export interface PrometheusProcess {
  /** The server's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Runs an instant query through the HTTP API; rejects with Prometheus' error for a bad expression. */
  query(expr: string): Promise<PrometheusSample[]>;
  /**
   * Runs `expr` every 250 ms until the result is non-empty and passes `accept`, for up to `timeoutMs`;
   * rejects with the last result otherwise.
   */
  waitForQuery(
    expr: string,
    options?: { timeoutMs?: number; accept?: (samples: PrometheusSample[]) => boolean },
  ): Promise<PrometheusSample[]>;
  /** Prometheus' stdout and stderr so far, for failure messages. */
  output(): string;
  /** Stops the server (SIGTERM), waits for its exit and removes its directory. */
  stop(): Promise<void>;
}

/** One scrape job of a test configuration: `host:port` targets and labels added to every series. */
export interface ScrapeJob {
  name: string;
  targets: readonly string[];
  labels?: Readonly<Record<string, string>>;
  metricsPath?: string;
  /** Sent as `Authorization: Bearer …`, as the reference server expects in password mode. */
  bearerToken?: string;
}

export interface PrometheusConfigOptions {
  scrapeIntervalSeconds?: number;
  jobs: readonly ScrapeJob[];
  /** Rule file names, relative to the configuration (see `files` of `startPrometheus`). */
  ruleFiles?: readonly string[];
}

/** A prometheus.yml for tests: short scrape and evaluation intervals so series appear within seconds. */
export function prometheusConfig({
  scrapeIntervalSeconds = 1,
  jobs,
  ruleFiles = [],
}: PrometheusConfigOptions): string {
  const interval = `${scrapeIntervalSeconds}s`;
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: ruleFiles,
    scrape_configs: jobs.map((job) => ({
      job_name: job.name,
      metrics_path: job.metricsPath ?? '/metrics',
      ...(job.bearerToken === undefined ? {} : { authorization: { credentials: job.bearerToken } }),
      static_configs: [{ targets: job.targets, labels: job.labels ?? {} }],
    })),
  });
}

// Servers still running when the test process exits are killed, through one listener for all of them.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const READY_TIMEOUT_MS = 20_000;

/**
 * Starts `binary` (Debian's `prometheus`) with `config` as its prometheus.yml on a free loopback port and a
 * temporary storage directory, and resolves once `/-/ready` answers 200. `files` are written beside the
 * configuration (rule files, for example), so the configuration can name them by relative path.
 */
export async function startPrometheus(
  binary: string,
  config: string,
  { files = {} }: { files?: Readonly<Record<string, string>> } = {},
): Promise<PrometheusProcess> {
  const home = mkdtempSync(join(tmpdir(), 'letta-prometheus-'));
  const configFile = join(home, 'prometheus.yml');
  writeFileSync(configFile, config);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(home, name), text);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(home, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      // Targets are picked up every 5 s by default, which would delay every test's first scrape.
      '--scrape.discovery-reload-interval=100ms',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true });
  };

  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with code ${child.exitCode} before it was ready:\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(100);
  }

  const query = async (expr: string): Promise<PrometheusSample[]> => {
    const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await response.json()) as QueryResponse;
    if (body.status !== 'success') throw new Error(`Prometheus rejected ${expr}: ${body.error}`);
    if (body.data.resultType !== 'vector') {
      throw new Error(`expected an instant vector from ${expr}, got a ${body.data.resultType}`);
    }
    return body.data.result.map(({ metric, value }) => ({ labels: metric, value: Number(value[1]) }));
  };

  return {
    url,
    query,
    async waitForQuery(expr, { timeoutMs = 20_000, accept = () => true } = {}) {
      const until = performance.now() + timeoutMs;
      for (;;) {
        const samples = await query(expr);
        if (samples.length > 0 && accept(samples)) return samples;
        if (performance.now() > until) {
          throw new Error(`Waited ${timeoutMs} ms for ${expr}; last result: ${JSON.stringify(samples)}`);
        }
        await sleep(250);
      }
    },
    output: () => output,
    stop,
  };
}

type QueryResponse =
  | { status: 'error'; error: string }
  | {
      status: 'success';
      data:
        | {
            resultType: 'vector';
            result: Array<{ metric: Record<string, string>; value: [number, string] }>;
          }
        | { resultType: 'matrix' | 'scalar' | 'string'; result: unknown };
    };
