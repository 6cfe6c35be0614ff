import { ConfigError, LettaError } from '@letta/core';
import {
  ConnectionLostError,
  ConnectTimeoutError,
  DatabaseUnavailableError,
  DatabaseUriError,
  EngineOptionsError,
  PoolClosedError,
  PoolTimeoutError,
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
    [new DatabaseUnavailableError(3, terminated), 'DatabaseUnavailableError', 'ERR_DB_UNAVAILABLE', true],
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

  it('makes option and URI errors configuration errors', () => {
    const options = new EngineOptionsError([
      { path: 'poolSize', envVar: 'LETTA_PG_POOL_SIZE', message: 'bad' },
    ]);
    expect(options).toBeInstanceOf(ConfigError);
    expect(options.code).toBe('ERR_DB_OPTIONS');
    expect(new DatabaseUriError('bad')).toBeInstanceOf(ConfigError);
  });
});
