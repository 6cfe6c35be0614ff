// Runs every telemetry benchmark in one process, one after the other.
await import('./registry-record');
await import('./logger');
await import('./tracing-off');
await import('./otlp-encode');
