/** Timestamps are written as ISO strings; Postgres reads them back as `Date`, SQLite as the string. */
type Timestamp = Date | string;

export interface AgentsTable {
  id: string;
  organization_id: string | null;
  name: string;
  created_at: Timestamp;
}

export interface RunsTable {
  id: string;
  agent_id: string;
  organization_id: string | null;
  status: 'running' | 'completed' | 'failed';
  created_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface MessagesTable {
  id: string;
  agent_id: string;
  organization_id: string | null;
  run_id: string | null;
  role: 'user' | 'assistant' | 'system' | 'tool';
  content: string;
  /** Position in the agent's history: 1, 2, 3, ... per agent, assigned under the agent's write lock. */
  sequence_id: number;
  created_at: Timestamp;
  /** The client's id for the message (Letta's `otid`): a retried POST with it is answered, not written again. */
  otid: string | null;
}

/** The tables the migrations create, as Kysely sees them. */
export interface Database {
  agents: AgentsTable;
  runs: RunsTable;
  messages: MessagesTable;
}

/** An ISO-8601 string for any timestamp column value. */
export function isoTimestamp(value: Timestamp): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString();
}
