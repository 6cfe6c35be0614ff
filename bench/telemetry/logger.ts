// Logger calls: bare pino against createLogger (Letta's JSON shape, redaction, trace ids), outside any
// span with telemetry off and inside an active span with telemetry on. Lines go to a sink that drops them.
import { createLogger, setupTelemetry } from '@letta/telemetry';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { measure, report } from './measure';

const sink = { write: (_line: string) => {} };
const fields = { agent_id: 'agent-123', step: 4, model: { name: 'gpt-4o', tokens: 512 } };

const bare = pino({ level: 'info' }, sink);
const letta = createLogger({ level: 'info', json: true, lettaDir: '.' }, { destination: sink });

report(
  'logger calls, telemetry off (baseline: bare pino)',
  measure([
    ['bare pino info', () => bare.info(fields, 'step finished')],
    ['createLogger info', () => letta.info(fields, 'step finished')],
  ]),
);
report(
  'logger calls below the level (baseline: bare pino)',
  measure([
    ['bare pino debug', () => bare.debug(fields, 'step finished')],
    ['createLogger debug', () => letta.debug(fields, 'step finished')],
  ]),
);

const telemetry = await setupTelemetry(
  { otlpEndpoint: null, disableTracing: false, preferredTemporality: 1, environment: null, datadog: null },
  { spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })] },
);
trace.getTracer('bench').startActiveSpan('request', (span) => {
  report(
    'logger calls in an active span, telemetry on (baseline: bare pino)',
    measure([
      ['bare pino info', () => bare.info(fields, 'step finished')],
      ['createLogger info (adds trace_id, span_id)', () => letta.info(fields, 'step finished')],
    ]),
  );
  span.end();
});
await telemetry.close();
