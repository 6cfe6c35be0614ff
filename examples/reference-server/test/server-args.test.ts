import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServerArgs, UsageError } from '../src/server-args';

describe('parseServerArgs', () => {
  it('defaults to 127.0.0.1:8283 with no password', () => {
    expect(parseServerArgs([], {})).toEqual({
      host: '127.0.0.1',
      port: 8283,
      instances: 1,
      password: null,
      metricNames: 'letta',
      drainDelayMs: 2_000,
    });
  });

  it('reads HOST and PORT, and lets --host/--port win', () => {
    expect(parseServerArgs([], { HOST: '0.0.0.0', PORT: '9000' })).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
    });
    expect(parseServerArgs(['--host', '::1', '--port=0'], { HOST: '0.0.0.0', PORT: '9000' })).toMatchObject({
      host: '::1',
      port: 0,
    });
  });

  it('rejects a port that is not a whole number from 0 to 65535', () => {
    for (const port of ['-1', '65536', '8283x', '1e3', '']) {
      expect(() => parseServerArgs(['--port', port], {})).toThrow(UsageError);
    }
    expect(() => parseServerArgs([], { PORT: '99999' })).toThrow(
      'PORT: expected a port number from 0 to 65535, got "99999".',
    );
  });

  it('reads the instance count from INSTANCES or --instances, a whole number of 1 or more', () => {
    expect(parseServerArgs([], { INSTANCES: '3' })).toMatchObject({ instances: 3 });
    expect(parseServerArgs([], { METRIC_NAMES: 'conventional' })).toMatchObject({
      metricNames: 'conventional',
    });
    expect(parseServerArgs(['--metric-names', 'letta'], { METRIC_NAMES: 'conventional' })).toMatchObject({
      metricNames: 'letta',
    });
    expect(() => parseServerArgs(['--metric-names', 'prometheus'], {})).toThrow(
      '--metric-names: expected "letta" or "conventional", got "prometheus".',
    );
    expect(parseServerArgs(['--instances', '4'], { INSTANCES: '3' })).toMatchObject({ instances: 4 });
    for (const instances of ['0', '-1', '1.5', 'two', '', '99999999999999999999']) {
      expect(() => parseServerArgs(['--instances', instances], {})).toThrow(UsageError);
    }
    expect(() => parseServerArgs([], { INSTANCES: '0' })).toThrow(
      'INSTANCES: expected a whole number of 1 or more, got "0".',
    );
  });

  it('turns password mode on with LETTA_SERVER_PASSWORD, and refuses --secure without one', () => {
    expect(parseServerArgs([], { LETTA_SERVER_PASSWORD: 'pw' })).toMatchObject({ password: 'pw' });
    expect(parseServerArgs(['--secure'], { LETTA_SERVER_PASSWORD: 'pw' })).toMatchObject({ password: 'pw' });
    expect(() => parseServerArgs([], { LETTA_SERVER_SECURE: 'true' })).toThrow(
      'LETTA_SERVER_PASSWORD is empty',
    );
    expect(() => parseServerArgs(['--secure'], {})).toThrow(UsageError);
  });

  it('reads the password from LETTA_SERVER_PASSWORD_FILE, such as a mounted secret', () => {
    const directory = mkdtempSync(join(tmpdir(), 'letta-server-args-'));
    try {
      const file = join(directory, 'server-password');
      writeFileSync(file, 'from-a-file\n');
      expect(parseServerArgs(['--secure'], { LETTA_SERVER_PASSWORD_FILE: file })).toMatchObject({
        password: 'from-a-file',
      });
      expect(() =>
        parseServerArgs([], { LETTA_SERVER_PASSWORD: 'pw', LETTA_SERVER_PASSWORD_FILE: file }),
      ).toThrow('Set either LETTA_SERVER_PASSWORD or LETTA_SERVER_PASSWORD_FILE, not both.');
      const missing = join(directory, 'missing');
      expect(() => parseServerArgs([], { LETTA_SERVER_PASSWORD_FILE: missing })).toThrow(
        `LETTA_SERVER_PASSWORD_FILE: cannot read "${missing}" (it does not exist); fix the path or unset it.`,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('answers --help', () => {
    expect(parseServerArgs(['--help'], {})).toBe('help');
  });

  it('takes the drain delay in seconds from --drain-delay or DRAIN_DELAY, up to 6', () => {
    expect(parseServerArgs([], { DRAIN_DELAY: '0' })).toMatchObject({ drainDelayMs: 0 });
    expect(parseServerArgs(['--drain-delay', '0.5'], { DRAIN_DELAY: '3' })).toMatchObject({
      drainDelayMs: 500,
    });
    for (const delay of ['-1', '7', 'soon', '']) {
      expect(() => parseServerArgs([`--drain-delay=${delay}`], {})).toThrow(
        `--drain-delay: expected seconds from 0 to 6, got "${delay}".`,
      );
    }
  });
});
