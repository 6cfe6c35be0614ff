import type { RedisClient } from './redis-client';

/** How long Letta keeps a message's `otid` → run id mapping: 3 hours. */
export const OTID_RUN_TTL_SECONDS = 10_800;

/** Letta's key of the run a message's `otid` started: `otid:run:<otid>`. */
export const otidRunKey = (otid: string): string => `otid:run:${otid}`;

/** Letta's key of a run's SSE stream: `sse:run:<runId>`. */
export const runStreamKey = (runId: string): string => `sse:run:${runId}`;

type RunKeyCommands = Pick<RedisClient, 'set' | 'get' | 'xlen'>;

/** Letta's `set_otid_run_mapping`: remembers for 3 hours which run the message `otid` started. */
export function setOtidRunMapping(client: RunKeyCommands, otid: string, runId: string): Promise<boolean> {
  return client.set(otidRunKey(otid), runId, { ex: OTID_RUN_TTL_SECONDS });
}

/** Letta's `get_run_id_by_otid`: the run the message `otid` started, or `null`. */
export function getRunIdByOtid(client: RunKeyCommands, otid: string): Promise<string | null> {
  return client.get(otidRunKey(otid));
}

/** Letta's `has_stream_chunks`: whether the run's SSE stream holds any entry. */
export async function hasStreamChunks(client: RunKeyCommands, runId: string): Promise<boolean> {
  return (await client.xlen(runStreamKey(runId))) > 0;
}
