import { EngineOptionsError } from './engine-options-error';

/** The Letta variable an option comes from in `engineOptionsFromSettings`, and its unit there. */
export interface SettingOrigin {
  readonly envVar: string;
  /** How the variable's unit differs from the option's, e.g. `in seconds`. */
  readonly unit?: string;
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * The error for an option with a value that cannot be used: it names the option, what was expected and
 * what was found, and the Letta variable it comes from when there is one.
 */
export function invalidOption(
  option: string,
  expected: string,
  found: unknown,
  setting?: SettingOrigin,
): EngineOptionsError {
  const unit = setting?.unit ? `, ${setting.unit}` : '';
  const from = setting ? ` (or ${setting.envVar}${unit}, when it comes from settings)` : '';
  const message = `${option} must be ${expected}; found ${show(found)}. Fix the ${option} option${from}.`;
  return new EngineOptionsError([{ path: option, ...(setting && { envVar: setting.envVar }), message }]);
}

/** A whole number of at least `min`. */
export function wholeNumber(
  option: string,
  value: number,
  min: number,
  expected: string,
  setting?: SettingOrigin,
): number {
  if (!Number.isInteger(value) || value < min) throw invalidOption(option, expected, value, setting);
  return value;
}

/** A finite number of milliseconds greater than 0. */
export function duration(option: string, value: number, setting?: SettingOrigin): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(option, 'a number of milliseconds greater than 0', value, setting);
  }
  return value;
}

/** true or false. */
export function flag(option: string, value: boolean, setting?: SettingOrigin): boolean {
  if (typeof value !== 'boolean') throw invalidOption(option, 'true or false', value, setting);
  return value;
}
