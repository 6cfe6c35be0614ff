import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings, SettingsError, type SettingsIssue } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/cli/diagnostics';
import { runCli } from './cli';
import { workspace } from './workspace';

const CONFIGS = fileURLToPath(new URL('../../../examples/ci-config-validation/configs/', import.meta.url));
const INVALID = join(CONFIGS, 'invalid');
const VALID = join(CONFIGS, 'valid');

const BOOLEAN = 'a boolean (true/false, 1/0, yes/no, on/off, t/f, y/n)';
const HOST_PORT = 'host:port, e.g. redis-1:26379 or [::1]:26379';
const SECRET = '(the value is not shown: it is a secret)';

/** Every invalid sample of the CI example, with the exact findings `validate` prints for it. */
const CORPUS: Record<string, readonly string[]> = {
  'wrong-type.yaml': ['4:16: error: letta.pg.pool_size: expected an integer >= 0, got "ten"'],
  'out-of-range.yaml': [
    '4:25: error: letta.telemetry.datadog_agent_port: expected an integer from 1 to 65535, got 70000',
  ],
  'unknown-nested-key.yaml': ['4:5: error: unknown key letta.pg.hots; did you mean letta.pg.host?'],
  'unknown-group-key.yaml': [
    '4:5: error: unknown key letta.telemetry.enable_datadg; did you mean letta.telemetry.enable_datadog?',
  ],
  'yaml-syntax-error.yaml': [
    '4:3: error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
  'duplicate-key.yaml': ['4:3: error: duplicate key debug; keep one'],
  'same-setting-twice.yaml': [
    '5:17: error: letta.pg_pool_size sets the same setting as letta.pg.pool_size; keep one',
  ],
  'bad-boolean.yaml': [`3:10: error: letta.debug: expected ${BOOLEAN}, got "maybe"`],
  'bad-list.yaml': [
    '4:5: error: letta.cors_origins: expected a JSON array or a comma-separated list of strings, got {"app":"https://app.example.com"}',
  ],
  'bad-list-item.yaml': [
    `5:7: error: letta.pg_replica_uris: item 2: expected a postgres:// or postgresql:// URI ${SECRET}`,
  ],
  'secret-wrong-type.yaml': [
    `3:16: error: letta.pg_password: expected a string ${SECRET}`,
    `4:14: error: letta.redis_url: expected a redis:// or rediss:// URL ${SECRET}`,
  ],
  'json-syntax-error.json': ['3:18: error: invalid JSON: trailing commas are not allowed in JSON'],
  'json-duplicate-key.json': ['4:5: error: duplicate key pg_pool_size; keep one'],
  'json-wrong-type.json': [
    '3:24: error: letta.redis.port: expected an integer from 1 to 65535, got "6379/tcp"',
    '4:27: error: letta.keepalive_interval: expected a number, got "fast"',
  ],
  'unknown-section.yaml': ['2:1: warning: section lettta is not read; did you mean letta?'],
  'not-a-mapping.yaml': ['3:3: error: letta: expected a mapping of settings'],
  'null-not-allowed.yaml': ['3:17: error: letta.pg_pool_size: expected an integer >= 0, got "None"'],
  'number-with-unit.yaml': ['3:20: error: letta.pg_pool_timeout: expected an integer >= 1, got "30s"'],
  'redis-conflict.yaml': [
    '5:10: error: letta.redis.url: conflicts with letta.redis.host (redis-conflict.yaml:4); configure one Redis topology (host, URL, Sentinels or cluster nodes) and unset the other',
  ],
  'sentinels-without-name.yaml': [
    '3:20: error: letta.redis_sentinels: needs LETTA_REDIS_SENTINEL_NAME, the name of the master group the Sentinels monitor',
  ],
  'bad-host-port.yaml': [
    `5:7: error: letta.redis_cluster_nodes: item 2: expected ${HOST_PORT}, got "redis-2"`,
  ],
  'bad-trace-backend.yaml': [
    '4:29: error: letta.telemetry.provider_trace_backend: expected a comma list of postgres, clickhouse, socket, got "postgres,kafka"',
  ],
  'many-problems.yaml': [
    `3:10: error: letta.debug: expected ${BOOLEAN}, got "sometimes"`,
    '5:16: error: letta.pg.pool_size: expected an integer >= 0, got "-1x"',
    '7:20: error: letta.uvicorn_workers: expected an integer, got 2.5',
    '8:32: error: letta.llm_request_timeout_seconds: expected a number from 10 to 1800, got 5',
  ],
  'bad.env': [
    '2:1: error: LETTA_PG_POOL_SIZE: expected an integer >= 0, got "ten"',
    '3:1: error: expected NAME=value',
    '4:1: warning: LETTA_DEBG: not a known setting; did you mean LETTA_DEBUG?',
  ],
};

const escapeRegExp = (text = '') => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SECRETS_IN_CORPUS = ['s3cret', 'hunter2'];

/** The arguments that check one sample: an env file is given with --env-file. */
const argsFor = (file: string) => (file.endsWith('.env') ? ['--env-file', file] : [file]);

function summary(file: string, lines: readonly string[]): string {
  const count = (severity: string) => lines.filter((line) => line.includes(`: ${severity}: `)).length;
  const [errors, warnings] = [count('error'), count('warning')];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (errors === 0) return `${file}: valid (${plural(warnings, 'warning')}).`;
  return `${file}: ${[plural(errors, 'error'), warnings > 0 && plural(warnings, 'warning')].filter(Boolean).join(', ')}.`;
}

interface JsonReport {
  readonly valid: boolean;
  readonly files: readonly string[];
  readonly errors: number;
  readonly warnings: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** What `loadSettings` reports for the same sample: `validate` must find exactly the same problems. */
function loaderFindings(file: string): {
  errors: readonly SettingsIssue[];
  warnings: readonly SettingsIssue[];
} {
  const warnings: SettingsIssue[] = [];
  const layer = file.endsWith('.env') ? { dotenv: file } : { configFiles: [file], dotenv: false as const };
  try {
    loadSettings({ env: {}, cwd: INVALID, home: workspace(), onWarning: (w) => warnings.push(w), ...layer });
  } catch (error) {
    if (error instanceof SettingsError) return { errors: error.issues, warnings };
    throw error;
  }
  return { errors: [], warnings };
}

describe('letta-settings validate: the corpus of invalid configs', () => {
  it('covers every invalid sample of the CI example', () => {
    expect(readdirSync(INVALID).sort()).toEqual(Object.keys(CORPUS).sort());
  });

  it.concurrent.each(Object.entries(CORPUS))('%s: text', async (file, findings) => {
    const result = await runCli(['validate', ...argsFor(file)], { cwd: INVALID });
    const lines = findings.map((finding) => `${file}:${finding}`);
    expect(result.stdout).toBe(`${[...lines, summary(file, lines)].join('\n')}\n`);
    expect(result.status).toBe(findings.some((finding) => finding.includes(': error: ')) ? 1 : 0);
    expect(result.stderr).toBe('');
  });

  it.concurrent.each(Object.entries(CORPUS))(
    '%s: json, the same findings as loadSettings',
    async (file, findings) => {
      const result = await runCli(['validate', '--format', 'json', ...argsFor(file)], { cwd: INVALID });
      const report = JSON.parse(result.stdout) as JsonReport;
      const asText = report.diagnostics.map(
        (d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`,
      );
      expect(asText).toEqual(findings.map((finding) => `${file}:${finding}`));
      expect(report).toMatchObject({
        files: [file],
        errors: report.diagnostics.filter((d) => d.severity === 'error').length,
      });
      expect(report.valid).toBe(report.errors === 0);

      const loader = loaderFindings(file);
      const cli = (severity: string) => report.diagnostics.filter((d) => d.severity === severity);
      for (const [found, severity] of [
        [loader.errors, 'error'],
        [loader.warnings, 'warning'],
      ] as const) {
        const issues = [...found].sort(
          (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
        );
        expect(issues.map((issue) => [issue.file, issue.line])).toEqual(
          cli(severity).map((d) => [d.file, d.line]),
        );
        for (const [index, issue] of issues.entries()) {
          expect(issue.message).toMatch(new RegExp(`: ${escapeRegExp(cli(severity)[index]?.message)}$`));
        }
      }
    },
  );

  it.concurrent.each(Object.entries(CORPUS))('%s: github annotations', async (file, findings) => {
    const result = await runCli(['validate', '--format', 'github', ...argsFor(file)], { cwd: INVALID });
    const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toHaveLength(findings.length);
    annotations.forEach((annotation, index) => {
      const [, line, column, severity, message] =
        /^(\d+):(\d+): (error|warning): (.*)$/.exec(findings[index] ?? '') ?? [];
      const match =
        /^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([A-Z_]+|letta-settings)::(.*)$/.exec(
          annotation,
        );
      expect(match?.slice(1, 5)).toEqual([severity, file, line, column]);
      expect(match?.[6]).toBe(message?.replace(/%/g, '%25'));
    });
  });

  it('never prints a secret value in any format', async () => {
    for (const format of ['text', 'json', 'github']) {
      const files = ['secret-wrong-type.yaml', 'bad-list-item.yaml', 'redis-conflict.yaml'];
      const result = await runCli(['validate', '--format', format, ...files], { cwd: INVALID });
      expect(result.status).toBe(1);
      for (const secret of SECRETS_IN_CORPUS) expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });
});

describe('letta-settings validate', () => {
  it('passes the valid samples, with an env file under each config file', async () => {
    const files = ['production.yaml', 'staging.json'];
    const result = await runCli(['validate', '--strict', ...files, '--env-file', 'production.env'], {
      cwd: VALID,
    });
    expect(result).toEqual({ status: 0, stdout: '3 files: valid.\n', stderr: '' });
  });

  it('turns warnings into errors with --strict', async () => {
    const result = await runCli(['validate', '--strict', 'unknown-section.yaml'], { cwd: INVALID });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      'unknown-section.yaml:2:1: error: section lettta is not read; did you mean letta?\nunknown-section.yaml: 1 error.\n',
    );
  });

  it('checks each file on its own and reports every file in one run', async () => {
    const result = await runCli(
      ['validate', 'wrong-type.yaml', 'bad-boolean.yaml', '../valid/production.yaml'],
      {
        cwd: INVALID,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n').slice(-2)).toEqual(['3 files: 2 errors.', '']);
  });

  it('ignores the shell environment when files are given', async () => {
    const result = await runCli(['validate', 'production.yaml'], {
      cwd: VALID,
      env: { LETTA_PG_POOL_SIZE: 'not-a-number', LETTA_REDIS_URL: 'redis://elsewhere' },
    });
    expect(result).toEqual({ status: 0, stdout: 'production.yaml: valid.\n', stderr: '' });
  });

  it('with no files, checks what the server would load: environment, .env and conf.yaml', async () => {
    const cwd = workspace({
      'conf.yaml': 'letta:\n  pg:\n    pool_size: many\n',
      '.env': 'LETTA_DEBUG=perhaps\n',
    });
    const result = await runCli(['validate'], {
      cwd,
      env: { HOME: cwd, LETTA_REDIS_PORT: 'x', LETTA_TELEMTRY_ENABLE_DATADOG: 'true' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      [
        `.env:1:1: error: LETTA_DEBUG: expected ${BOOLEAN}, got "perhaps"`,
        'conf.yaml:3:16: error: letta.pg.pool_size: expected an integer >= 0, got "many"',
        'error: LETTA_REDIS_PORT: expected an integer from 1 to 65535, got "x"',
        'warning: LETTA_TELEMTRY_ENABLE_DATADOG: not a known setting; did you mean LETTA_TELEMETRY_ENABLE_DATADOG?',
        'Configuration: 3 errors, 1 warning.',
        '',
      ].join('\n'),
    );
  });

  it('colours only when asked: FORCE_COLOR on a pipe, never with NO_COLOR', async () => {
    const forced = await runCli(['validate', 'wrong-type.yaml'], { cwd: INVALID, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(
      '\u001b[1mwrong-type.yaml:4:16\u001b[22m: \u001b[31m\u001b[1merror\u001b[22m\u001b[39m:',
    );
    const plain = await runCli(['validate', 'wrong-type.yaml'], {
      cwd: INVALID,
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    });
    expect(plain.stdout).not.toContain('\u001b[');
  });
});
