/** A JSON request against a test server; returns the status, headers and parsed body. */
export async function call<T = unknown>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json');
  return {
    status: response.status,
    headers: response.headers,
    body: (isJson ? JSON.parse(text) : text) as T,
  };
}

export interface AgentBody {
  id: string;
  name: string;
  organizationId: string | null;
  createdAt: string;
}

export interface MessageBody {
  id: string;
  agentId: string;
  runId: string;
  role: string;
  content: string;
  sequenceId: number;
}

export async function createAgent(baseUrl: string, name = 'agent', headers: Record<string, string> = {}) {
  const { status, body } = await call<AgentBody>(`${baseUrl}/v1/agents`, { body: { name }, headers });
  if (status !== 201) throw new Error(`creating an agent answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

export async function postMessage(
  baseUrl: string,
  agentId: string,
  content: string,
  headers: Record<string, string> = {},
) {
  return call<{ message: MessageBody; run: { id: string } }>(`${baseUrl}/v1/agents/${agentId}/messages`, {
    body: { content },
    headers,
  });
}
