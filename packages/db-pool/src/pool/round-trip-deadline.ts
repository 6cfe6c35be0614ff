import type pg from 'pg';

/**
 * Bounds one round trip the pool makes on its own account (a pre-ping, a rollback on return) or a
 * statement with a client-side deadline. At the deadline the socket is destroyed, so the connection can
 * never be handed out again, and the promise rejects with what `expired` makes; the round trip's own
 * late failure is then swallowed.
 */
export async function withinDeadline<T>(
  client: pg.Client,
  work: Promise<T>,
  timeoutMs: number,
  expired: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      work.catch(() => {});
      client.connection.stream.destroy();
      reject(expired());
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
