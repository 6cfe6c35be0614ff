import { call, createAgent, postMessage } from '../../examples/reference-server/test/http';

/**
 * One round of the traffic a reference server sees: an agent created, two messages posted and listed, a
 * lookup that answers 404, and an SSE stream opened, read until its first event, and closed. Every route
 * family records its metrics (endpoint counts and latency, pool checkouts, Redis locks, SSE sessions).
 */
export async function referenceTrafficRound(baseUrl: string): Promise<void> {
  const agent = await createAgent(baseUrl, 'traffic');
  for (const content of ['hello', 'again']) {
    const { status } = await postMessage(baseUrl, agent.id, content);
    if (status !== 201) throw new Error(`posting a message answered ${status}`);
  }
  await call(`${baseUrl}/v1/agents/${agent.id}/messages`);
  await call(`${baseUrl}/v1/agents/agent-00000000-0000-0000-0000-000000000000`);

  const stream = new AbortController();
  const response = await fetch(`${baseUrl}/v1/agents/${agent.id}/messages/stream`, { signal: stream.signal });
  const reader = response.body?.getReader();
  await reader?.read();
  stream.abort();
  await reader?.cancel().catch(() => {});
}

/** Runs traffic rounds one after another until `stop()` is called; `stop()` resolves after the last one. */
export function startReferenceTraffic(baseUrl: string): { stop(): Promise<void>; rounds(): number } {
  let running = true;
  let rounds = 0;
  const loop = (async () => {
    while (running) {
      await referenceTrafficRound(baseUrl);
      rounds++;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
    rounds: () => rounds,
  };
}
