import type { Logger } from '@letta/core';
import { redactCredentials } from '@letta/core';
import { context, DiagLogLevel, diag, metrics, propagation, trace } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { Sdk } from './sdk-modules';

/** Registers globally what was built and returns how to undo each registration at close. */
export function registerGlobally(
  meterProvider: MeterProvider | null,
  tracerProvider: TracerProvider | null,
  warn: (message: string) => void,
  sdk: Sdk,
): Array<() => void> {
  const undo: Array<() => void> = [];
  if (meterProvider) {
    if (metrics.setGlobalMeterProvider(meterProvider)) {
      undo.push(() => metrics.disable());
    } else {
      warn(
        'A global meter provider was already registered; the new one is not global. Close the old one first.',
      );
    }
  }
  if (tracerProvider) {
    if (trace.setGlobalTracerProvider(tracerProvider)) {
      undo.push(registerContextAndPropagation(sdk));
    } else {
      warn(
        'A global tracer provider was already registered; the new one is not global. Close the old one first.',
      );
    }
  }
  return undo;
}

/** Context propagation through async calls and W3C headers, which traces need; returns the undo. */
function registerContextAndPropagation({ contextAsyncHooks, core }: Sdk): () => void {
  const { AsyncLocalStorageContextManager } = contextAsyncHooks;
  const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = core;
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const contextRegistered = context.setGlobalContextManager(contextManager);
  const propagatorRegistered = propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  return () => {
    trace.disable();
    if (contextRegistered) context.disable();
    if (propagatorRegistered) propagation.disable();
  };
}

/** Sends the SDK's diagnostics (export failures, dropped data) at warning level and above to the logger. */
export function routeDiagnostics(logger: Logger): () => void {
  const report =
    (level: 'warn' | 'error') =>
    (message: string, ...args: unknown[]) =>
      logger[level](
        { source: 'opentelemetry' },
        redactCredentials([errorMessage(message), ...args.map(String)].join(' ')),
      );
  const ignore = () => {};
  diag.setLogger(
    { error: report('error'), warn: report('warn'), info: ignore, debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return () => diag.disable();
}

/** The SDK's error handler passes errors as JSON with the stack; the message alone reads better in a log. */
function errorMessage(text: string): string {
  if (!text.startsWith('{')) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    const message = (parsed as { message?: unknown }).message;
    return typeof message === 'string' ? message : text;
  } catch {
    return text;
  }
}
