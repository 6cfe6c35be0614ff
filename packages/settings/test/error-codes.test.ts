import { ConfigError, Secret as CoreSecret, LettaError, lettaPoolDefaults } from '@letta/core';
import { loadSettings, resetSettings, Secret, SettingsError } from '@letta/settings';
import {
  DecryptionError,
  decryptSecret,
  EncryptionKeyMissingError,
  encryptSecret,
} from '@letta/settings/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommandArgs } from '../src/cli/command-args';
import { UsageError } from '../src/cli/usage-error';
import { failure } from './failure';
import { isolated } from './workspace';

afterEach(() => {
  vi.unstubAllEnvs();
  resetSettings();
});

describe('errors: one base, a stable code each', () => {
  it('SettingsError is a ConfigError with code ERR_SETTINGS_INVALID and every issue', async () => {
    const error = await failure(() =>
      loadSettings(isolated({ LETTA_PG_POOL_SIZE: 'ten', LETTA_REDIS_DB: '-1' })),
    );
    expect(error).toBeInstanceOf(SettingsError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(LettaError);
    const settingsError = error as SettingsError;
    expect(settingsError).toMatchObject({
      name: 'SettingsError',
      code: 'ERR_SETTINGS_INVALID',
      retryable: false,
    });
    expect(settingsError.issues.map((issue) => issue.envVar)).toEqual([
      'LETTA_PG_POOL_SIZE',
      'LETTA_REDIS_DB',
    ]);
    expect(settingsError.message).toBe(
      'Invalid settings (2 problems):\n' +
        '  LETTA_PG_POOL_SIZE: expected an integer >= 0, got "ten"\n' +
        '  LETTA_REDIS_DB: expected an integer >= 0, got "-1"',
    );
  });

  it('the crypto errors are LettaErrors with their own codes, and never show the key', async () => {
    vi.stubEnv('LETTA_ENCRYPTION_KEY', '');
    const missing = await failure(() => encryptSecret('plaintext'));
    expect(missing).toBeInstanceOf(EncryptionKeyMissingError);
    expect(missing).toBeInstanceOf(LettaError);
    expect(missing).toMatchObject({ code: 'ERR_CRYPTO_KEY_MISSING', retryable: false });

    const stored = await encryptSecret('plaintext', 'key-one');
    const wrongKey = await failure(() => decryptSecret(stored, 'key-two-secret'));
    expect(wrongKey).toBeInstanceOf(DecryptionError);
    expect(wrongKey).toBeInstanceOf(LettaError);
    expect(wrongKey).toMatchObject({ code: 'ERR_CRYPTO_DECRYPT_FAILED', retryable: false });
    expect(wrongKey.message).not.toContain('key-two-secret');
  });

  it('a usage mistake on the command line is a LettaError with code ERR_SETTINGS_CLI_USAGE', async () => {
    const command = {
      name: 'validate',
      summary: '',
      details: [],
      options: {},
      load: async () => () => 0,
    };
    const error = await failure(() => parseCommandArgs(command, ['--nope']));
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toBeInstanceOf(LettaError);
    expect(error).toMatchObject({
      name: 'UsageError',
      code: 'ERR_SETTINGS_CLI_USAGE',
      message: 'validate: unknown option --nope; it takes no options',
    });
  });
});

describe('shared pieces have one owner: @letta/core', () => {
  it('Secret is core’s class, so a secret from either package passes the other’s instanceof', () => {
    expect(Secret).toBe(CoreSecret);
    const settings = loadSettings(isolated({ LETTA_REDIS_PASSWORD: 'hunter2' }));
    expect(settings.redisPassword).toBeInstanceOf(CoreSecret);
    expect(`${settings.redisPassword}`).toBe('[redacted]');
  });

  it('the pool settings default to core’s lettaPoolDefaults', () => {
    const settings = loadSettings(isolated());
    expect({
      poolSize: settings.pgPoolSize,
      maxOverflow: settings.pgMaxOverflow,
      poolTimeoutSeconds: settings.pgPoolTimeout,
      recycleSeconds: settings.pgPoolRecycle,
      prePing: settings.poolPrePing,
      useLifo: settings.poolUseLifo,
      disablePooling: settings.disableSqlalchemyPooling,
    }).toEqual(lettaPoolDefaults);
  });
});
