/** The OpenTelemetry SDK packages `setupTelemetry` builds with. */
export interface Sdk {
  readonly metrics: typeof import('@opentelemetry/sdk-metrics');
  readonly trace: typeof import('@opentelemetry/sdk-trace');
  readonly core: typeof import('@opentelemetry/core');
  readonly resources: typeof import('@opentelemetry/resources');
  readonly contextAsyncHooks: typeof import('@opentelemetry/context-async-hooks');
}

/**
 * Loads the SDK packages on `setupTelemetry`'s first call: importing @letta/telemetry (for the logger or
 * the metric registry) loads none of them.
 */
export async function loadSdk(): Promise<Sdk> {
  const [metrics, trace, core, resources, contextAsyncHooks] = await Promise.all([
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/context-async-hooks'),
  ]);
  return { metrics, trace, core, resources, contextAsyncHooks };
}
