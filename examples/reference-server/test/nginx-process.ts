import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, isReachable } from '@test/support';

const DEPLOY_CONF = fileURLToPath(new URL('../../../deploy/nginx.conf', import.meta.url));

/** The nginx binary (Debian puts it in /usr/sbin, which is not always on PATH), or null. */
export function findNginx(): string | null {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

/** Like `requireService`: outside CI a missing nginx skips with one line; with `CI=true` it fails. */
export function requireNginx(): string | null {
  const binary = findNginx();
  if (binary) return binary;
  if (process.env.CI === 'true')
    throw new Error('nginx is not installed (apt-get install -y nginx); CI requires it.');
  process.stderr.write('skipping nginx tests: no nginx binary (apt-get install -y nginx).\n');
  return null;
}

/** One upstream port, or several instances that nginx balances. */
export type Upstreams = number | readonly number[];

/**
 * `deploy/nginx.conf` made runnable without root or Docker: the upstreams are the given loopback ports,
 * nginx listens on `listenPort` on loopback, and its pid, logs and temp files live under `prefix`.
 */
export function loopbackNginxConf(upstreams: Upstreams, listenPort: number, prefix: string): string {
  const original = readFileSync(DEPLOY_CONF, 'utf8');
  const servers = [upstreams].flat().map((port) => `server 127.0.0.1:${port} max_fails=0;`);
  const replacements: Array<[string, string]> = [
    ['server server:8283 max_fails=0;', servers.join('\n    ')],
    ['listen 80;', `listen 127.0.0.1:${listenPort};`],
    ['worker_processes auto;', `worker_processes 1;\npid ${prefix}/nginx.pid;\nerror_log stderr warn;`],
    [
      'http {',
      [
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `  ${kind}_temp_path ${prefix}/${kind}_temp;`,
        ),
      ].join('\n'),
    ],
  ];
  let conf = original;
  for (const [from, to] of replacements) {
    if (!conf.includes(from))
      throw new Error(`deploy/nginx.conf no longer contains "${from}"; update this test.`);
    conf = conf.replace(from, to);
  }
  return conf;
}

export interface NginxProcess {
  readonly url: string;
  /** What nginx wrote to its error log (stderr) so far. */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Writes the loopback copy of the config (through `adjust`, for a benchmark's extra directives) into a
 * temp prefix and checks it with `nginx -t`.
 */
export function prepareNginx(
  binary: string,
  upstreams: Upstreams,
  listenPort: number,
  adjust: (conf: string) => string = (conf) => conf,
) {
  const prefix = mkdtempSync(join(tmpdir(), 'letta-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, adjust(loopbackNginxConf(upstreams, listenPort, prefix)));
  const args = ['-p', prefix, '-c', confPath, '-e', 'stderr'];
  const check = spawnSync(binary, ['-t', ...args], { encoding: 'utf8' });
  return { prefix, args, check: { status: check.status, output: `${check.stdout}${check.stderr}` } };
}

/** Runs nginx in the foreground (not as a daemon) in front of `upstreams`. */
export async function startNginx(
  binary: string,
  upstreams: Upstreams,
  adjust?: (conf: string) => string,
): Promise<NginxProcess> {
  const listenPort = await freePort();
  const { prefix, args, check } = prepareNginx(binary, upstreams, listenPort, adjust);
  if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.output}`);
  const child: ChildProcess = spawn(binary, [...args, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  process.once('exit', () => child.kill('SIGKILL'));
  for (let attempt = 0; !(await isReachable('127.0.0.1', listenPort, 200)); attempt++) {
    if (attempt > 100 || child.exitCode !== null) throw new Error(`nginx did not start:\n${stderr}`);
    await sleep(50);
  }
  return {
    url: `http://127.0.0.1:${listenPort}`,
    errors: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
