import { spawn } from 'node:child_process';

/** What a promtool run printed, and its exit code. */
export interface PromtoolResult {
  readonly code: number | null;
  readonly output: string;
}

/** Runs `promtool` (at `binary`) with `args` in `cwd`, to completion, with `input` on its stdin if given. */
export function runPromtool(
  binary: string,
  args: readonly string[],
  cwd?: string,
  input?: string,
): Promise<PromtoolResult> {
  const child = spawn(binary, [...args], {
    cwd,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(input);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
