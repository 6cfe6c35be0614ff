import type { Logger } from '@letta/telemetry';
import type { MeterProvider } from '@opentelemetry/api';
import { errorName } from './error-name';

/** Counts agent write locks whose release failed after the write committed. */
export const LOCK_RELEASE_FAILURES_METRIC = 'count_agent_write_lock_release_failures';

/** Logs and counts a lock release that failed after the write committed; the caller still gets 2xx. */
export function lockReleaseFailureReporter(
  logger: Logger,
  meterProvider: MeterProvider,
): (agentId: string, error: unknown) => void {
  const counter = meterProvider
    .getMeter('@letta/reference-server')
    .createCounter(LOCK_RELEASE_FAILURES_METRIC, {
      unit: '1',
      description:
        'Agent write locks whose release failed after the write committed (the lock expires by TTL)',
    });
  return (agentId, error) => {
    counter.add(1, { error_type: errorName(error) });
    logger.warn(
      { agentId, errorType: errorName(error) },
      'Releasing the agent write lock failed after the write committed; it expires by its TTL',
    );
  };
}
