import { setTimeout as sleep } from 'node:timers/promises';
import {
  createLeaderElector,
  type Engine,
  type LeaderElector,
  leaderElectorOptionsFromSettings,
} from '@letta/db-pool';
import type { Settings } from '@letta/settings';
import type { Logger } from '@letta/telemetry';
import type { MeterProvider } from '@opentelemetry/api';
import type { Kysely } from 'kysely';
import type { Database } from './database';
import { errorName } from './error-name';

/** The settings batch polling reads, with Letta's names. */
export type BatchPollingSettings = Pick<
  Settings,
  | 'pollRunningLlmBatchesIntervalSeconds'
  | 'pollLockRetryIntervalSeconds'
  | 'batchJobPollingLookbackWeeks'
  | 'batchJobPollingBatchSize'
>;

/** How the leader polls, and how often the other instances try to lead. */
export interface BatchPollingOptions {
  /** Between polls, before the jitter. */
  readonly intervalMs: number;
  /** Between attempts to take the leader lock. */
  readonly retryIntervalMs: number;
  /** Runs created longer ago than this are left alone. */
  readonly lookbackWeeks: number;
  /** The most runs one poll reads; `null` for all. */
  readonly batchSize: number | null;
}

/** Where the job logs and records what it found. */
export interface PollingTelemetry {
  readonly logger: Logger;
  readonly meterProvider: MeterProvider;
}

/** Letta's scheduler delays each poll by up to this much, so instances started together spread out. */
const JITTER_MS = 10_000;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The polling options from Letta's settings; throws naming the variable when one cannot work. */
export function batchPollingFromSettings(settings: BatchPollingSettings): BatchPollingOptions {
  const checks: Array<[envVar: string, value: number | null, expected: string]> = [
    [
      'LETTA_POLL_RUNNING_LLM_BATCHES_INTERVAL_SECONDS',
      settings.pollRunningLlmBatchesIntervalSeconds,
      '1 or more',
    ],
    ['LETTA_POLL_LOCK_RETRY_INTERVAL_SECONDS', settings.pollLockRetryIntervalSeconds, '1 or more'],
    ['LETTA_BATCH_JOB_POLLING_LOOKBACK_WEEKS', settings.batchJobPollingLookbackWeeks, '1 or more'],
    ['LETTA_BATCH_JOB_POLLING_BATCH_SIZE', settings.batchJobPollingBatchSize, '1 or more, or unset for all'],
  ];
  for (const [envVar, value, expected] of checks) {
    if (value !== null && value < 1) {
      throw new Error(
        `${envVar}: expected ${expected}, got ${value}. Fix it, or set LETTA_ENABLE_BATCH_JOB_POLLING=false.`,
      );
    }
  }
  return {
    intervalMs: settings.pollRunningLlmBatchesIntervalSeconds * 1000,
    ...leaderElectorOptionsFromSettings(settings),
    lookbackWeeks: settings.batchJobPollingLookbackWeeks,
    batchSize: settings.batchJobPollingBatchSize,
  };
}

/**
 * Letta's batch polling (`LETTA_ENABLE_BATCH_JOB_POLLING`), on the elected leader only: at once, then
 * every interval plus up to 10 s of jitter, while this instance leads. The others try to take the lead
 * every `retryIntervalMs`. `close()` on the result ends the job (waiting for a poll in flight) and
 * releases the leadership.
 */
export async function startBatchPolling(
  engine: Engine<Database>,
  options: BatchPollingOptions,
  telemetry: PollingTelemetry,
): Promise<LeaderElector> {
  const { logger } = telemetry;
  const poll = runningRunsPoller(engine.db, options, telemetry);

  const pollWhileLeading = async (signal: AbortSignal) => {
    while (!signal.aborted) {
      await poll();
      await sleep(options.intervalMs + Math.random() * JITTER_MS, undefined, { signal }).catch(() => {});
    }
  };

  let polling = Promise.resolve();
  return createLeaderElector(
    { engine },
    {
      retryIntervalMs: options.retryIntervalMs,
      onElected: (signal) => {
        logger.info({ intervalMs: options.intervalMs }, 'Batch polling started');
        polling = pollWhileLeading(signal);
      },
      onDemoted: async (reason) => {
        await polling;
        logger.info({ reason }, 'Batch polling stopped');
      },
    },
  );
}

/**
 * One poll. This server has no LLM provider, so it only reads the runs still `running` within the
 * lookback window (oldest first, at most the batch size) and reports how many it found: this is where
 * a real service asks its provider's batch API about each of them and writes back what finished. It
 * reads the primary, because such a service acts on what it finds and must not see a run it already
 * finished as still running.
 */
function runningRunsPoller(
  db: Kysely<Database>,
  options: BatchPollingOptions,
  telemetry: PollingTelemetry,
): () => Promise<void> {
  const { lookbackWeeks, batchSize } = options;
  const { logger } = telemetry;
  const meter = telemetry.meterProvider.getMeter('letta.reference-server');
  const polls = meter.createCounter('letta.batch_polling.polls', {
    unit: '{poll}',
    description: 'Batch polls run by the leader, by outcome.',
  });
  const runningRuns = meter.createGauge('letta.batch_polling.running_runs', {
    unit: '{run}',
    description: 'Running runs found within the lookback window by the latest batch poll.',
  });

  return async () => {
    try {
      const since = new Date(Date.now() - lookbackWeeks * WEEK_MS).toISOString();
      let query = db
        .selectFrom('runs')
        .select('id')
        .where('status', '=', 'running')
        .where('created_at', '>=', since)
        .orderBy('created_at');
      if (batchSize !== null) query = query.limit(batchSize);
      const runs = await query.execute();
      polls.add(1, { outcome: 'ok' });
      runningRuns.record(runs.length);
      logger.info({ runningRuns: runs.length, lookbackWeeks, batchSize }, 'Batch poll: running runs found');
    } catch (error) {
      polls.add(1, { outcome: 'error' });
      logger.error({ errorType: errorName(error) }, 'Batch poll failed');
    }
  };
}
