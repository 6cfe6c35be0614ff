/**
 * Measures the event loop's lag as Letta's watchdog heartbeat does: a timer due every `intervalMs`
 * that runs late by the time the loop was blocked. Calls `onLag` with each measurement (0 when on time).
 * Returns a function that stops it.
 */
export function watchEventLoopLag(intervalMs: number, onLag: (lagMs: number) => void): () => void {
  let expected = performance.now() + intervalMs;
  const timer = setInterval(() => {
    const now = performance.now();
    onLag(Math.max(0, now - expected));
    expected = now + intervalMs;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
