import { hostname } from 'node:os';
import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { Sdk } from './sdk-modules';

export interface ResourceInput {
  serviceName: string | undefined;
  serviceVersion: string | undefined;
  environment: string | null;
}

/**
 * The service name: the explicit option, else `OTEL_SERVICE_NAME`, else Letta's rule:
 * `letta-server-<ENV_NAME lower-cased>` when `ENV_NAME` is set, else `letta-server`.
 */
function serviceNameFor(explicit: string | undefined): string {
  const env = process.env;
  if (explicit) return explicit;
  if (env.OTEL_SERVICE_NAME) return env.OTEL_SERVICE_NAME;
  return env.ENV_NAME ? `letta-server-${env.ENV_NAME.toLowerCase()}` : 'letta-server';
}

/** Letta's normalisation: `DEV`, `DEVELOPMENT` and `STAGING` (any case) are `dev`; others lower-cased. */
function normaliseEnvironment(environment: string): string {
  const lower = environment.toLowerCase();
  return lower === 'dev' || lower === 'development' || lower === 'staging' ? 'dev' : lower;
}

/**
 * The resource every signal carries: the SDK defaults, then `OTEL_RESOURCE_ATTRIBUTES`, then the service
 * name, version, host name and normalised deployment environment. Letta's `device.id` (the MAC address)
 * is left out on purpose: it identifies hardware, and `host.name` already tells instances apart.
 */
export function buildResource(input: ResourceInput, { resources }: Sdk): Resource {
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = resources;
  const attributes: Attributes = {
    'service.name': serviceNameFor(input.serviceName),
    'host.name': hostname(),
  };
  if (input.serviceVersion) attributes['service.version'] = input.serviceVersion;
  if (input.environment) attributes['deployment.environment'] = normaliseEnvironment(input.environment);
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(attributes));
}
