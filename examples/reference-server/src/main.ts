import { SettingsError } from '@letta/settings';
import { parseServerArgs, USAGE, UsageError } from './server-args';
import { SHUTDOWN_BUDGET_MS, startServer } from './start-server';

/** SIGTERM must end the process within 10 s: past the budget the process exits whatever is left. */
const EXIT_DEADLINE_MS = SHUTDOWN_BUDGET_MS + 200;

async function main(): Promise<number | undefined> {
  const args = parseServerArgs(process.argv.slice(2), process.env);
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // A signal during startup is held until startup finishes, then drains like any other.
  let pending: NodeJS.Signals | undefined;
  let onSignal = (signal: NodeJS.Signals) => {
    pending = signal;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (received) => onSignal(received));

  const server = await startServer(args);
  process.stdout.write(`Letta reference server listening on ${server.url}\n  ${server.summary}\n`);

  let stopping = false;
  onSignal = (signal) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'Shutting down: draining requests');
    const deadline = setTimeout(() => {
      server.logger.error({ deadlineMs: EXIT_DEADLINE_MS }, 'Shutdown did not finish in time; exiting');
      process.exit(1);
    }, EXIT_DEADLINE_MS);
    deadline.unref();
    server.close(SHUTDOWN_BUDGET_MS).then((clean) => process.exit(clean ? 0 : 1));
  };
  if (pending) onSignal(pending);
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `The server could not start: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
