import { Ajv } from 'ajv';
import type {
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';

/**
 * The one rule for request input, as Letta's pydantic models apply it:
 * - a JSON body is typed strictly: a value of the wrong type is 422 (`"content": 123` is not a string);
 * - body fields an endpoint does not know are ignored;
 * - the path, query string and headers are text, so numbers there are parsed, within their range;
 * - no string anywhere may hold a NUL byte, which PostgreSQL cannot store (422).
 */
const strict = new Ajv({ coerceTypes: false, removeAdditional: true, useDefaults: true });
const fromText = new Ajv({ coerceTypes: 'array', removeAdditional: true, useDefaults: true });

/** The largest value of an `integer` column, and so of a sequence id or a cursor over them. */
export const MAX_INT32 = 2_147_483_647;

export function compileValidator({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) {
  return (httpPart === 'body' ? strict : fromText).compile(schema);
}

/** Where the first NUL byte is, as `body.content` or `query.after`, or undefined. */
function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const isArray = Array.isArray(value);
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    const found = findNul(item, isArray ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * An onRoute hook: routes that take input (path parameters or a schema) reject NUL bytes before
 * validation. The probes take none, so they are spared a hook on every call.
 */
export function checkNulBytesWhereInputIs(route: RouteOptions): void {
  const { schema } = route;
  const takesInput =
    route.url.includes(':') || !!(schema?.params || schema?.querystring || schema?.body || schema?.headers);
  if (!takesInput) return;
  const existing = route.preValidation ?? [];
  route.preValidation = [rejectNulBytes, ...(Array.isArray(existing) ? existing : [existing])];
}

/**
 * A NUL byte in the path, the query, the body or Last-Event-ID is a 422. Callback style, because it
 * runs on every request with input and finds nothing on almost all of them.
 */
function rejectNulBytes(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const where =
    findNul(request.params, 'params') ??
    findNul(request.query, 'query') ??
    findNul(request.body, 'body') ??
    findNul(request.headers['last-event-id'], 'headers.last-event-id') ??
    (request.url.includes('%00') ? 'url' : undefined);
  if (where === undefined) {
    done();
    return;
  }
  reply
    .code(422)
    .send({ detail: `${where} contains a NUL byte (\\u0000), which cannot be stored. Remove it.` });
}
