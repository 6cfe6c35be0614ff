import { RedisOptionsError } from './redis-errors';

export function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    invalid(name, `an integer ${range}`, value);
  }
}

export function checkHost(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') invalid(name, 'a host name or address', value);
}

export function invalid(name: string, expected: string, found: unknown): never {
  throw new RedisOptionsError(
    `Redis option ${name} must be ${expected}, but found ${typeof found === 'string' ? JSON.stringify(found) : String(found)}. ` +
      'Fix the value in the options passed to createRedisClient or in the environment variable named.',
  );
}
