import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from '../app-dependencies';

/** A run and the messages it wrote. */
export function runRoutes(app: FastifyInstance, { store }: AppDependencies): void {
  app.get<{ Params: { runId: string } }>(
    '/v1/runs/:runId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['runId'],
          properties: { runId: { type: 'string', minLength: 1, maxLength: 100 } },
        },
      },
    },
    async (request, reply) => {
      const run = await store.getRun(request.params.runId);
      return run ?? reply.code(404).send({ detail: `No run with id ${request.params.runId}.` });
    },
  );
}
