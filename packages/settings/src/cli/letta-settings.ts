import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { version } from '../../package.json';
import { closest } from '../loader/did-you-mean';
import { provideYaml } from '../loader/yaml-module';
import { type CommandSpec, commandHelp, parseCommandArgs, programHelp, wantsHelp } from './command-args';
import { LIMIT_OPTIONS } from './limit-options';
import { UsageError } from './usage-error';

const PROGRAM = 'letta-settings';

// The bin ships yaml's ES module build beside it (yaml.cjs, one file, which Node loads faster than yaml's
// own CommonJS files), loaded with the first YAML file: checking the environment alone never compiles it.
provideYaml(() => createRequire(import.meta.url)('./yaml.cjs') as typeof Yaml);

const envFile = {
  type: 'string',
  placeholder: 'file',
  description: 'A .env file to read (NAME=value lines)',
} as const;

const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'validate',
    operands: '[files...]',
    summary:
      'Check YAML and JSON config files (and an env file): syntax, types, ranges, unknown and duplicate keys.',
    details: [
      'Each file is checked on its own, with the --env-file (if any) under it; the shell environment is ignored, so the result does not depend on the machine. With no files, checks what the server would load: the environment, .env, LETTA_CONFIG_PATH, ./conf.yaml and ~/.letta/conf.yaml.',
      'Every finding names its file:line:column. Values of secret settings are never printed. Exit code 0 when valid (warnings allowed unless --strict), 1 when invalid, 2 on a usage error or a file that cannot be read.',
    ],
    options: {
      'env-file': envFile,
      format: {
        type: 'string',
        choices: ['text', 'json', 'github'],
        description: 'text lines, one JSON document, or GitHub Actions annotations',
      },
      strict: { type: 'boolean', description: 'Treat warnings (unknown variables and sections) as errors' },
      ...LIMIT_OPTIONS,
    },
    load: async () => (await import('./validate-command')).validateCommand,
  },
  {
    name: 'print',
    operands: '[files...]',
    summary: 'Print the effective settings, with secrets redacted.',
    details: [
      'Loads the settings as the server would (the environment, .env, LETTA_CONFIG_PATH, ./conf.yaml, ~/.letta/conf.yaml), with the given config files and --env-file added. yaml and json print a config file; env prints NAME=value lines.',
    ],
    options: {
      'env-file': envFile,
      format: { type: 'string', choices: ['yaml', 'json', 'env'], description: 'Output format' },
      explain: { type: 'boolean', description: 'Add where each value came from (default, file, .env, env)' },
      ...LIMIT_OPTIONS,
    },
    load: async () => (await import('./print-command')).printCommand,
  },
  {
    name: 'schema',
    summary: 'Print the JSON Schema (draft-07) of the config file, for editors and CI.',
    details: ['The same schema ships in the package as @letta/settings/schema.json.'],
    options: {},
    load: async () => (await import('./generate-commands')).schemaCommand,
  },
  {
    name: 'docs',
    summary: 'Print the Markdown reference of every setting.',
    details: [
      'Each setting with its env vars, YAML key, type, default, description, and whether it is a secret.',
    ],
    options: {},
    load: async () => (await import('./generate-commands')).docsCommand,
  },
  {
    name: 'env-example',
    summary: 'Print a .env.example that lists every variable, commented, with its default and description.',
    details: ['Secrets are left blank.'],
    options: {},
    load: async () => (await import('./generate-commands')).envExampleCommand,
  },
  {
    name: 'secrets rotate',
    summary: 'Re-encrypt stored secrets (one per line of stdin) from one LETTA_ENCRYPTION_KEY to another.',
    details: [
      'The keys are read from the environment variables that --from-env and --to-env name, so they appear neither on the command line nor in the output. Values come from stdin, one per line, and go to stdout in the same order; an empty line stays empty. A value that does not look encrypted (stored before a key was set) is encrypted with the new key.',
      'All or nothing: when a value fails to decrypt, nothing is written to stdout, stderr names the failing lines, and the exit code is 1.',
      'Example: OLD_KEY=... NEW_KEY=... letta-settings secrets rotate --from-env OLD_KEY --to-env NEW_KEY < values.txt > rotated.txt',
    ],
    options: {
      'from-env': { type: 'string', placeholder: 'NAME', description: 'Variable that holds the current key' },
      'to-env': { type: 'string', placeholder: 'NAME', description: 'Variable that holds the new key' },
    },
    load: async () => (await import('./secrets-rotate-command')).secretsRotateCommand,
  },
];

const INTRO = `${PROGRAM} ${version}: check and document Letta settings (LETTA_* variables, .env and conf.yaml files).`;

async function main(argv: readonly string[]): Promise<number> {
  const [first] = argv;
  if (first === undefined) {
    process.stderr.write(programHelp(PROGRAM, INTRO, COMMANDS));
    return 2;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(programHelp(PROGRAM, INTRO, COMMANDS));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => {
    const words = candidate.name.split(' ');
    return words.every((word, index) => argv[index] === word);
  });
  if (!command) {
    const group = COMMANDS.filter((candidate) => candidate.name.startsWith(`${first} `));
    if (group.length > 0) {
      throw new UsageError(
        `"${first}" needs a subcommand: ${group.map((candidate) => candidate.name).join(', ')}`,
      );
    }
    const suggestion = closest(
      first,
      COMMANDS.map((candidate) => candidate.name.split(' ')[0] ?? ''),
    );
    const hint = suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
    throw new UsageError(`unknown command "${first}"${hint}`);
  }
  const args = argv.slice(command.name.split(' ').length);
  if (wantsHelp(args)) {
    process.stdout.write(commandHelp(PROGRAM, command));
    return 0;
  }
  const parsed = parseCommandArgs(command, args);
  const run = await command.load();
  return run(parsed);
}

// A reader that stops early (`letta-settings docs | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${PROGRAM}: ${error.message}\nRun "${PROGRAM} --help" for usage.\n`);
    } else {
      // Any other error is a bug; its message may quote the input, so only its kind is shown.
      const kind = error instanceof Error ? error.name : typeof error;
      process.stderr.write(`${PROGRAM}: internal error (${kind}); please report it with the command run\n`);
    }
    process.exitCode = 2;
  },
);
