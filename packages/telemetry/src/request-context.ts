import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes } from '@opentelemetry/api';

const storage = new AsyncLocalStorage<Attributes>();
const none: Attributes = Object.freeze({});

/** Letta's request headers and the metric attributes they become. */
const headerAttributes = [
  ['x-organization-id', 'organization.id'],
  ['x-project-id', 'project.id'],
  ['x-base-template-id', 'base_template.id'],
  ['x-template-id', 'template.id'],
  ['x-agent-id', 'agent.id'],
] as const;

/**
 * Runs `fn` with `attributes` added to the request context (merged over any outer context). Nothing
 * reads the context unless a call site asks for it with `requestContextAttributes`, so it is opt-in.
 */
export function runWithRequestContext<T>(attributes: Attributes, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer ? { ...outer, ...attributes } : { ...attributes }, fn);
}

/**
 * The current request's context attributes, with `extra` merged over them: the attribute set Letta's
 * call sites record with (`registry.toolExecutionCounter.add(1, requestContextAttributes({ 'tool.name': n }))`).
 */
export function requestContextAttributes(extra?: Attributes): Attributes {
  const current = storage.getStore();
  if (!extra) return current ?? none;
  return current ? { ...current, ...extra } : extra;
}

/**
 * The context attributes Letta takes from request headers: `x-organization-id` → `organization.id`,
 * `x-project-id`, `x-base-template-id`, `x-template-id` and `x-agent-id` likewise.
 */
export function requestContextFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): Attributes {
  const attributes: Attributes = {};
  for (const [header, attribute] of headerAttributes) {
    const value = headers[header];
    const first = Array.isArray(value) ? value[0] : value;
    if (first) attributes[attribute] = first;
  }
  return attributes;
}
