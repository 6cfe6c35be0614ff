import { randomUUID } from 'node:crypto';
import type { Engine } from '@letta/db-pool';
import type { Kysely, Selectable } from 'kysely';
import type { AgentWriteLock } from './agent-write-lock';
import {
  type AgentsTable,
  type Database,
  isoTimestamp,
  type MessagesTable,
  type RunsTable,
} from './database';

export interface Agent {
  id: string;
  organizationId: string | null;
  name: string;
  createdAt: string;
}

export interface Message {
  id: string;
  agentId: string;
  runId: string | null;
  role: MessagesTable['role'];
  content: string;
  sequenceId: number;
  createdAt: string;
  /** The client's id for the message, when it sent one. */
  otid: string | null;
}

export interface Run {
  id: string;
  agentId: string;
  status: 'running' | 'completed' | 'failed';
  createdAt: string;
  completedAt: string | null;
}

/** No agent with that id exists. */
export class AgentNotFoundError extends Error {
  constructor(agentId: string) {
    super(`No agent with id ${agentId}. Create it with POST /v1/agents first.`);
    this.name = 'AgentNotFoundError';
  }
}

const toAgent = (row: Selectable<AgentsTable>): Agent => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  createdAt: isoTimestamp(row.created_at),
});

const toMessage = (row: Selectable<MessagesTable>): Message => ({
  id: row.id,
  agentId: row.agent_id,
  runId: row.run_id,
  role: row.role,
  content: row.content,
  sequenceId: Number(row.sequence_id),
  createdAt: isoTimestamp(row.created_at),
  otid: row.otid,
});

const toRun = (row: Selectable<RunsTable>): Run => ({
  id: row.id,
  agentId: row.agent_id,
  status: row.status,
  createdAt: isoTimestamp(row.created_at),
  completedAt: row.completed_at === null ? null : isoTimestamp(row.completed_at),
});

/** The agents/messages/runs API over Kysely. Message writes for one agent go through `lock`. */
export class AgentStore {
  readonly #engine: Engine<Database>;
  readonly #lock: AgentWriteLock;

  constructor(engine: Engine<Database>, lock: AgentWriteLock) {
    this.#engine = engine;
    this.#lock = lock;
  }

  /** Whether a message can be written now: the agent write lock (Redis, when it is real) answers. */
  writesPossible(): Promise<boolean> {
    return this.#lock.available();
  }

  get #db(): Kysely<Database> {
    return this.#engine.db;
  }

  async createAgent(input: { name: string; organizationId?: string | null }): Promise<Agent> {
    const agent: Agent = {
      id: `agent-${randomUUID()}`,
      organizationId: input.organizationId ?? null,
      name: input.name,
      createdAt: new Date().toISOString(),
    };
    await this.#db
      .insertInto('agents')
      .values({
        id: agent.id,
        organization_id: agent.organizationId,
        name: agent.name,
        created_at: agent.createdAt,
      })
      .execute();
    return agent;
  }

  async getAgent(agentId: string): Promise<Agent | undefined> {
    const row = await this.#db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirst();
    return row && toAgent(row);
  }

  /**
   * Agents oldest first; `after` is the last id of the previous page (an unknown id gives an empty page).
   * A replica may serve it; the cursor and the page are read on one connection, so from one server.
   */
  async listAgents(options: { limit: number; after?: string }): Promise<Agent[]> {
    return this.#engine.reader.connection().execute(async (db) => {
      let query = db
        .selectFrom('agents')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .limit(options.limit);
      if (options.after) {
        const cursor = await db
          .selectFrom('agents')
          .select(['created_at', 'id'])
          .where('id', '=', options.after)
          .executeTakeFirst();
        if (!cursor) return [];
        query = query.where(({ eb, refTuple, tuple }) =>
          eb(refTuple('created_at', 'id'), '>', tuple(cursor.created_at, cursor.id)),
        );
      }
      return (await query.execute()).map(toAgent);
    });
  }

  /**
   * Appends a message as one completed run: the next sequence id of the agent, the run and the message
   * commit together. Writers for the same agent take turns, so sequence ids never collide. A message
   * whose `otid` the agent already has is not written again: the first one is returned, `replayed`.
   */
  async appendMessage(
    agentId: string,
    input: { role: Message['role']; content: string; otid?: string },
  ): Promise<{ message: Message; run: Run; replayed: boolean }> {
    return this.#lock.run(agentId, () =>
      this.#engine.transaction(async (trx) => {
        const agent = await trx
          .selectFrom('agents')
          .select('organization_id')
          .where('id', '=', agentId)
          .executeTakeFirst();
        if (!agent) throw new AgentNotFoundError(agentId);
        if (input.otid !== undefined) {
          const first = await findByOtid(trx, agentId, input.otid);
          if (first) return { ...first, replayed: true };
        }
        const { last } = await trx
          .selectFrom('messages')
          .select(({ fn }) => fn.max('sequence_id').as('last'))
          .where('agent_id', '=', agentId)
          .executeTakeFirstOrThrow();
        const written = completedMessage(agentId, input, Number(last ?? 0) + 1);
        await insertCompletedMessage(trx, agent.organization_id, written);
        return { ...written, replayed: false };
      }),
    );
  }

  /**
   * An agent's messages in order, after sequence id `after` (0 for the start). A replica may serve it,
   * unless `fromPrimary` asks for what this instance has just written.
   */
  async listMessages(
    agentId: string,
    options: { after: number; limit: number; fromPrimary?: boolean },
  ): Promise<Message[]> {
    const db = options.fromPrimary ? this.#engine.db : this.#engine.reader;
    const rows = await db
      .selectFrom('messages')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('sequence_id', '>', options.after)
      .orderBy('sequence_id')
      .limit(options.limit)
      .execute();
    return rows.map(toMessage);
  }

  /** The highest sequence id of each agent that has messages, read from the primary. */
  async lastSequenceIds(agentIds: readonly string[]): Promise<Map<string, number>> {
    if (agentIds.length === 0) return new Map();
    const rows = await this.#db
      .selectFrom('messages')
      .select(({ fn }) => ['agent_id', fn.max('sequence_id').as('last')])
      .where('agent_id', 'in', agentIds)
      .groupBy('agent_id')
      .execute();
    return new Map(rows.map((row) => [row.agent_id, Number(row.last)]));
  }

  async getRun(runId: string): Promise<(Run & { messages: Message[] }) | undefined> {
    const row = await this.#db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
    if (!row) return undefined;
    const messages = await this.#db
      .selectFrom('messages')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('sequence_id')
      .execute();
    return { ...toRun(row), messages: messages.map(toMessage) };
  }
}

/** The agent's message with this `otid` and its run, if it was written already. */
async function findByOtid(
  trx: Kysely<Database>,
  agentId: string,
  otid: string,
): Promise<{ message: Message; run: Run } | undefined> {
  const message = await trx
    .selectFrom('messages')
    .selectAll()
    .where('agent_id', '=', agentId)
    .where('otid', '=', otid)
    .executeTakeFirst();
  if (!message?.run_id) return undefined;
  const run = await trx
    .selectFrom('runs')
    .selectAll()
    .where('id', '=', message.run_id)
    .executeTakeFirstOrThrow();
  return { message: toMessage(message), run: toRun(run) };
}

/** A message at `sequenceId` and the completed run that produced it, both stamped now. */
function completedMessage(
  agentId: string,
  input: { role: Message['role']; content: string; otid?: string },
  sequenceId: number,
): { message: Message; run: Run } {
  const now = new Date().toISOString();
  const run: Run = {
    id: `run-${randomUUID()}`,
    agentId,
    status: 'completed',
    createdAt: now,
    completedAt: now,
  };
  const message: Message = {
    id: `message-${randomUUID()}`,
    agentId,
    runId: run.id,
    role: input.role,
    content: input.content,
    sequenceId,
    createdAt: now,
    otid: input.otid ?? null,
  };
  return { message, run };
}

async function insertCompletedMessage(
  trx: Kysely<Database>,
  organizationId: string | null,
  { message, run }: { message: Message; run: Run },
): Promise<void> {
  await trx
    .insertInto('runs')
    .values({
      id: run.id,
      agent_id: run.agentId,
      organization_id: organizationId,
      status: run.status,
      created_at: run.createdAt,
      completed_at: run.completedAt,
    })
    .execute();
  await trx
    .insertInto('messages')
    .values({
      id: message.id,
      agent_id: message.agentId,
      organization_id: organizationId,
      run_id: run.id,
      role: message.role,
      content: message.content,
      sequence_id: message.sequenceId,
      created_at: message.createdAt,
      otid: message.otid,
    })
    .execute();
}
