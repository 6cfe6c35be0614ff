/** What to log about a failure: its class name, never its message (which may quote user data). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
