import { UsageError } from './usage-error';

/** One option of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The only values a string option accepts; the first is the default. */
  readonly choices?: readonly string[];
  /** Shown in help after the option name, e.g. `<file>`. */
  readonly placeholder?: string;
  readonly description: string;
}

/** A command of the CLI: its name, what it takes, and how to load it. */
export interface CommandSpec {
  /** One or more words, e.g. `validate` or `secrets rotate`. */
  readonly name: string;
  /** The positional arguments it takes, for help, e.g. `[files...]`; none when absent. */
  readonly operands?: string;
  readonly summary: string;
  /** Paragraphs shown by `<command> --help` after the usage line. */
  readonly details: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Loaded only when the command runs, so that one command never pays for another's imports. */
  readonly load: () => Promise<(args: CommandArgs) => Promise<number> | number>;
}

/** What a command receives: its options (string choices defaulted) and positional arguments. */
export interface CommandArgs {
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly operands: readonly string[];
}

/** True when the arguments ask for help (before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Parses a command's arguments: `--name value`, `--name=value`, boolean flags, `--` before operands. */
export function parseCommandArgs(command: CommandSpec, args: readonly string[]): CommandArgs {
  const options: Record<string, string | boolean | undefined> = {};
  const operands: string[] = [];
  const known = Object.keys(command.options).map((name) => `--${name}`);
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    const [flag = '', inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg];
    const name = flag.slice(2);
    const spec = flag.startsWith('--') ? command.options[name] : undefined;
    if (!spec) {
      const takes = known.length > 0 ? `it takes ${known.join(', ')}` : 'it takes no options';
      throw new UsageError(`${command.name}: unknown option ${flag}; ${takes}`);
    }
    if (options[name] !== undefined)
      throw new UsageError(`${command.name}: ${flag} is given twice; give it once`);
    if (spec.type === 'boolean') {
      if (inline !== undefined)
        throw new UsageError(`${command.name}: ${flag} takes no value; write just ${flag}`);
      options[name] = true;
      continue;
    }
    const value = inline ?? args[++index];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(
        `${command.name}: ${flag} needs a value, e.g. ${flag} ${spec.choices?.[0] ?? spec.placeholder ?? 'VALUE'}`,
      );
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`${command.name}: ${flag} must be ${spec.choices.join(', ')}; got "${value}"`);
    }
    options[name] = value;
  }
  for (const [name, spec] of Object.entries(command.options)) options[name] ??= spec.choices?.[0];
  if (command.operands === undefined && operands.length > 0) {
    throw new UsageError(`${command.name}: takes no arguments; got "${operands[0]}"`);
  }
  return { options, operands };
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}

/** `<command> --help`. */
export function commandHelp(program: string, command: CommandSpec): string {
  const operands = command.operands ? ` ${command.operands}` : '';
  const options = Object.entries(command.options).map(([name, spec]): [string, string] => {
    const value = spec.type === 'string' ? ` <${spec.placeholder ?? spec.choices?.join('|')}>` : '';
    const choices = spec.choices ? ` (${spec.choices.join(', ')}; default ${spec.choices[0]})` : '';
    return [`--${name}${value}`, `${spec.description}${choices}`];
  });
  const hasOptions = options.length > 0;
  return [
    `Usage: ${program} ${command.name}${operands}${hasOptions ? ' [options]' : ''}`,
    '',
    command.summary,
    ...command.details.flatMap((paragraph) => ['', paragraph]),
    ...(hasOptions ? ['', 'Options:', ...columns(options)] : []),
    '',
  ].join('\n');
}

/** `--help` without a command. */
export function programHelp(program: string, intro: string, commands: readonly CommandSpec[]): string {
  const rows = commands.map((command): [string, string] => [
    `${command.name}${command.operands ? ` ${command.operands}` : ''}`,
    command.summary,
  ]);
  return [
    intro,
    '',
    `Usage: ${program} <command> [options]`,
    '',
    'Commands:',
    ...columns(rows),
    '',
    'Options:',
    ...columns([
      ['-h, --help', 'Show help; after a command, that command’s help'],
      ['-v, --version', 'Show the version'],
    ]),
    '',
    'Exit codes: 0 valid, 1 invalid settings, 2 usage or file error.',
    '',
  ].join('\n');
}
