import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Where the server listens, whether password mode is on, and how many instances share the database. */
export interface ServerArgs {
  host: string;
  port: number;
  /** Server processes on the same database, this one included: the connection budget's `instances`. */
  instances: number;
  /** The password every request but health and readiness must present, or `null` for an open server. */
  password: string | null;
  /**
   * `letta`: Letta's metric names, so its dashboards work; `conventional`: names `promtool check metrics`
   * accepts for the few that break Prometheus' naming rules (see docs/telemetry.md).
   */
  metricNames: 'letta' | 'conventional';
  /**
   * How long, after SIGTERM, readiness answers 503 `draining` while requests are still served, before
   * the listener closes: the time a load balancer needs to see the instance leave.
   */
  drainDelayMs: number;
}

/** The drain delay by default, in seconds: two readiness probes at Kubernetes' 1 s minimum period. */
const DEFAULT_DRAIN_DELAY_SECONDS = 2;
/** At most this much of the 10 s shutdown budget may go to the delay. */
const MAX_DRAIN_DELAY_SECONDS = 6;

/** The command line or the environment asks for something the server cannot do. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: reference-server [--host HOST] [--port PORT] [--instances N] [--secure]
                        [--metric-names letta|conventional] [--drain-delay SECONDS]

  --host HOST     interface to listen on (env HOST; default 127.0.0.1)
  --port PORT     port to listen on, 0 for any free port (env PORT; default 8283)
  --instances N   server processes sharing the database, for the connection budget check at startup
                  (env INSTANCES; default 1)
  --secure        require LETTA_SERVER_PASSWORD on every route but /v1/health/ and /v1/ready/
                  (env LETTA_SERVER_SECURE=true; setting LETTA_SERVER_PASSWORD alone also turns it on;
                  LETTA_SERVER_PASSWORD_FILE names a file holding it, such as a mounted secret)
  --metric-names  letta: Letta's metric names (hist_endpoint_e2e_ms, ...); conventional: names that
                  promtool check metrics accepts (env METRIC_NAMES; default letta)
  --drain-delay S after SIGTERM, answer readiness 503 "draining" for S seconds while still serving
                  requests, then stop accepting (env DRAIN_DELAY; default 2, at most 6)

Everything else comes from LETTA_* variables, .env and conf.yaml, as in the Letta server.`;

/**
 * Reads `--host`/`--port`/`--instances`/`--secure`/`--metric-names` (winning over `HOST`/`PORT`/
 * `INSTANCES`/`LETTA_SERVER_SECURE`/`METRIC_NAMES`).
 */
export function parseServerArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ServerArgs | 'help' {
  let values: {
    host?: string;
    port?: string;
    instances?: string;
    secure?: boolean;
    'metric-names'?: string;
    help?: boolean;
    'drain-delay'?: string;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        instances: { type: 'string' },
        secure: { type: 'boolean' },
        'metric-names': { type: 'string' },
        'drain-delay': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  if (values.help) return 'help';

  const host = values.host ?? (env.HOST || '127.0.0.1');
  const portText = values.port ?? (env.PORT || '8283');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    const name = values.port === undefined ? 'PORT' : '--port';
    throw new UsageError(
      `${name}: expected a port number from 0 to 65535, got "${portText}". Pass --port 8283 (or 0 for any free port).`,
    );
  }

  const instancesText = values.instances ?? (env.INSTANCES || '1');
  const instances = Number(instancesText);
  if (!/^\d+$/.test(instancesText) || !Number.isSafeInteger(instances) || instances < 1) {
    const name = values.instances === undefined ? 'INSTANCES' : '--instances';
    throw new UsageError(
      `${name}: expected a whole number of 1 or more, got "${instancesText}". Pass the number of server ` +
        'processes that share the database, e.g. --instances 3.',
    );
  }

  const secure = values.secure === true || env.LETTA_SERVER_SECURE?.trim().toLowerCase() === 'true';
  const password = serverPassword(env);
  if (secure && !password) {
    throw new UsageError(
      'Password mode is on (--secure or LETTA_SERVER_SECURE=true) but LETTA_SERVER_PASSWORD is empty. ' +
        'Set LETTA_SERVER_PASSWORD (or LETTA_SERVER_PASSWORD_FILE) to the password clients must send.',
    );
  }
  const metricNames = values['metric-names'] ?? (env.METRIC_NAMES || 'letta');
  if (metricNames !== 'letta' && metricNames !== 'conventional') {
    const name = values['metric-names'] === undefined ? 'METRIC_NAMES' : '--metric-names';
    throw new UsageError(`${name}: expected "letta" or "conventional", got "${metricNames}".`);
  }
  return {
    host,
    port,
    instances,
    password,
    metricNames,
    drainDelayMs: drainDelayMs(values['drain-delay'], env),
  };
}

function drainDelayMs(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const text = option ?? (env.DRAIN_DELAY || String(DEFAULT_DRAIN_DELAY_SECONDS));
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds > MAX_DRAIN_DELAY_SECONDS) {
    const name = option === undefined ? 'DRAIN_DELAY' : '--drain-delay';
    throw new UsageError(
      `${name}: expected seconds from 0 to ${MAX_DRAIN_DELAY_SECONDS}, got "${text}". The whole shutdown ` +
        'must fit in 10 s; pass e.g. --drain-delay 2.',
    );
  }
  return seconds * 1000;
}

/**
 * `LETTA_SERVER_PASSWORD`, or the content of the file `LETTA_SERVER_PASSWORD_FILE` names (one trailing
 * newline dropped), as the settings read `NAME_FILE` variables; `null` when neither is set.
 */
function serverPassword(env: NodeJS.ProcessEnv): string | null {
  const direct = env.LETTA_SERVER_PASSWORD || null;
  const file = env.LETTA_SERVER_PASSWORD_FILE || null;
  if (file === null) return direct;
  if (direct !== null) {
    throw new UsageError('Set either LETTA_SERVER_PASSWORD or LETTA_SERVER_PASSWORD_FILE, not both.');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String(error);
    throw new UsageError(
      `LETTA_SERVER_PASSWORD_FILE: cannot read "${file}" (${reason}); fix the path or unset it.`,
    );
  }
  return text.replace(/\r?\n$/, '') || null;
}
