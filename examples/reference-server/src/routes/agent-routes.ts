import type { FastifyInstance } from 'fastify';
import { AgentNotFoundError, type Message } from '../agent-store';
import type { AppDependencies } from '../app-dependencies';
import { MAX_INT32 } from '../input-validation';

const agentParams = {
  type: 'object',
  required: ['agentId'],
  properties: { agentId: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

const pageQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    after: { type: 'integer', minimum: 0, maximum: MAX_INT32, default: 0 },
  },
} as const;

const createAgentBody = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    organizationId: { type: 'string', minLength: 1, maxLength: 100 },
  },
} as const;

const appendMessageBody = {
  type: 'object',
  required: ['content'],
  additionalProperties: false,
  properties: {
    content: { type: 'string', minLength: 1, maxLength: 100_000 },
    role: { type: 'string', enum: ['user', 'assistant', 'system', 'tool'], default: 'user' },
    otid: { type: 'string', minLength: 1, maxLength: 100 },
  },
} as const;

const streamQuery = {
  type: 'object',
  properties: { after: pageQuery.properties.after },
} as const;

/** An SSE client's `Last-Event-ID`: absent, or a sequence id the server could have sent. */
const streamHeaders = {
  type: 'object',
  properties: { 'last-event-id': { type: 'string', pattern: '^(0|[1-9][0-9]{0,9})$' } },
} as const;

/** Agents and their messages, including the SSE stream of an agent's messages. */
export function agentRoutes(app: FastifyInstance, deps: AppDependencies): void {
  agentEndpoints(app, deps);
  messageEndpoints(app, deps);
}

function agentEndpoints(app: FastifyInstance, { store }: AppDependencies): void {
  app.post<{ Body: { name: string; organizationId?: string } }>(
    '/v1/agents',
    { schema: { body: createAgentBody } },
    async (request, reply) => reply.code(201).send(await store.createAgent(request.body)),
  );

  app.get<{ Querystring: { limit: number; after?: string } }>(
    '/v1/agents',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: pageQuery.properties.limit,
            after: { type: 'string', minLength: 1 },
          },
        },
      },
    },
    async (request) => store.listAgents(request.query),
  );

  app.get<{ Params: { agentId: string } }>(
    '/v1/agents/:agentId',
    { schema: { params: agentParams } },
    async (request) => {
      const agent = await store.getAgent(request.params.agentId);
      if (!agent) throw new AgentNotFoundError(request.params.agentId);
      return agent;
    },
  );
}

function messageEndpoints(app: FastifyInstance, { store, streams }: AppDependencies): void {
  app.post<{ Params: { agentId: string }; Body: { content: string; role: Message['role']; otid?: string } }>(
    '/v1/agents/:agentId/messages',
    { schema: { params: agentParams, body: appendMessageBody } },
    async (request, reply) => {
      const { agentId } = request.params;
      const { replayed, ...written } = await store.appendMessage(agentId, request.body);
      // A retry of a write that was stored already gets the first answer again.
      if (replayed) return reply.code(201).header('idempotent-replay', 'true').send(written);
      // After the commit, never before: a stream may read the database as soon as it hears of it.
      await streams.publish(written.message);
      return reply.code(201).send(written);
    },
  );

  app.get<{ Params: { agentId: string }; Querystring: { limit: number; after: number } }>(
    '/v1/agents/:agentId/messages',
    { schema: { params: agentParams, querystring: pageQuery } },
    async (request) => store.listMessages(request.params.agentId, request.query),
  );

  app.get<{ Params: { agentId: string }; Querystring: { after: number } }>(
    '/v1/agents/:agentId/messages/stream',
    {
      schema: { params: agentParams, querystring: streamQuery, headers: streamHeaders },
      config: { hijacksReply: true },
    },
    async (request, reply) => {
      const { agentId } = request.params;
      const lastEventId = Number(request.headers['last-event-id'] ?? 0);
      if (lastEventId > MAX_INT32) {
        return reply.code(422).send({ detail: `headers/last-event-id must be <= ${MAX_INT32}` });
      }
      if (!(await streams.limitRead(() => store.getAgent(agentId)))) throw new AgentNotFoundError(agentId);
      const after = Math.max(request.query.after, lastEventId);
      reply.hijack();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) headers[name] = String(value);
      }
      await streams.serve(reply.raw, headers, agentId, after);
      return reply;
    },
  );
}
