/** The error a failing call (synchronous or not) throws; fails the test when it throws nothing. */
export async function failure(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}
