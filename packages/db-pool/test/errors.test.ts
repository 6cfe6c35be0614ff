import { ConfigError, LettaError } from '@letta/core';
import {
  ConnectionLostError,
  ConnectTimeoutError,
  DatabaseConnectError,
  DatabaseUnavailableError,
  DatabaseUriError,
  EngineOptionsError,
  PoolClosedError,
  PoolTimeoutError,
  StatementTimeoutError,
} from '@letta/db-pool';
import { describe, expect, it } from 'vitest';

describe('error classes', () => {
  const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
    code: '57P01',
  });
  it.each([
    [PoolTimeoutError.queuePool(1, 0, 300), 'PoolTimeoutError', 'ERR_POOL_TIMEOUT', false],
    [new PoolClosedError('core'), 'PoolClosedError', 'ERR_POOL_CLOSED', false],
    [new ConnectTimeoutError('h:5432/db', 100), 'ConnectTimeoutError', 'ERR_DB_CONNECT_TIMEOUT', true],
    [new ConnectionLostError(terminated), 'ConnectionLostError', 'ERR_DB_CONNECTION_LOST', true],
    [
      new DatabaseUnavailableError({ pool: 'core', setting: 'poolTimeoutMs' }, 'down', { cause: terminated }),
      'DatabaseUnavailableError',
      'ERR_DB_UNAVAILABLE',
      true,
    ],
    [
      new DatabaseConnectError('core', 'h:5432/db', terminated),
      'DatabaseConnectError',
      'ERR_DB_CONNECT',
      false,
    ],
    [
      new StatementTimeoutError('core', 100, terminated),
      'StatementTimeoutError',
      'ERR_DB_STATEMENT_TIMEOUT',
      false,
    ],
  ])('%s has a stable code and says whether to retry', (error, name, code, retryable) => {
    expect(error).toBeInstanceOf(LettaError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it("keeps foreign codes under their own names: SQLAlchemy's and the driver's", () => {
    expect(PoolTimeoutError.queuePool(1, 0, 300).sqlalchemyCode).toBe('3o7r');
    expect(new ConnectionLostError(terminated).driverCode).toBe('57P01');
    expect(new ConnectionLostError(new Error('Connection terminated')).driverCode).toBeUndefined();
  });

  it('makes a connect timeout a kind of DatabaseUnavailableError that names the pool and the setting', () => {
    const error = new ConnectTimeoutError('h:5432/db', 100, { pool: 'core' });
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(error).toMatchObject({ pool: 'core', setting: 'connectTimeoutMs', timeoutMs: 100 });
    expect(error.message).toBe(
      'Pool "core": the database is unavailable (connecting to h:5432/db timed out after 100 ms ' +
        '(connectTimeoutMs); check that the database is reachable from this host, or raise ' +
        'connectTimeoutMs). Nothing was run; retry once it is reachable, and check connectTimeoutMs if it ' +
        'does not recover.',
    );
    expect(
      new DatabaseUnavailableError({ pool: 'p', setting: 's' }, 'x', { cause: terminated }).driverCode,
    ).toBe('57P01');
  });

  it('makes option and URI errors configuration errors', () => {
    const options = new EngineOptionsError([
      { path: 'poolSize', envVar: 'LETTA_PG_POOL_SIZE', message: 'bad' },
    ]);
    expect(options).toBeInstanceOf(ConfigError);
    expect(options.code).toBe('ERR_DB_OPTIONS');
    expect(new DatabaseUriError('bad')).toBeInstanceOf(ConfigError);
  });
});
