/** The instrument kinds Letta's registry uses. */
export type InstrumentKind = 'counter' | 'upDownCounter' | 'histogram' | 'gauge';

export interface MetricDefinition {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly unit: string;
  readonly description: string;
}

/**
 * Every metric of Letta's application registry, with Letta's names, instruments and units. The pool's
 * `db_pool_*` family and the Redis client's `redis_*` family are not here: `@letta/db-pool` and
 * `@letta/redis` record them, and each metric has one owner (two owners would export two families of
 * the same name in one scrape).
 */
export const lettaMetrics = {
  userMessageCounter: {
    name: 'count_user_message',
    kind: 'counter',
    unit: '1',
    description: 'Messages sent by users',
  },
  inFlightForegroundCounter: {
    name: 'in_flight_foreground',
    kind: 'upDownCounter',
    unit: '1',
    description: 'Active foreground request streams',
  },
  inFlightBackgroundCounter: {
    name: 'in_flight_background',
    kind: 'upDownCounter',
    unit: '1',
    description: 'Active background stream tasks',
  },
  requestAdmissionWaitMsHistogram: {
    name: 'request_admission_wait_ms',
    kind: 'histogram',
    unit: 'ms',
    description: 'Time a request waited for admission',
  },
  requestTimeoutCounter: {
    name: 'request_timeout_total',
    kind: 'counter',
    unit: '1',
    description: 'Requests that timed out',
  },
  toolExecutionCounter: {
    name: 'count_tool_execution',
    kind: 'counter',
    unit: '1',
    description: 'Tools executed',
  },
  ttftMsHistogram: {
    name: 'hist_ttft_ms',
    kind: 'histogram',
    unit: 'ms',
    description: 'Time to first token',
  },
  llmExecutionTimeMsHistogram: {
    name: 'hist_llm_execution_time_ms',
    kind: 'histogram',
    unit: 'ms',
    description: 'LLM execution time',
  },
  toolExecutionTimeMsHistogram: {
    name: 'hist_tool_execution_time_ms',
    kind: 'histogram',
    unit: 'ms',
    description: 'Tool execution time',
  },
  stepExecutionTimeMsHistogram: {
    name: 'hist_step_execution_time_ms',
    kind: 'histogram',
    unit: 'ms',
    description: 'Agent step execution time',
  },
  messageCost: {
    name: 'hist_message_cost_usd',
    kind: 'histogram',
    unit: 'usd',
    description: 'Cost per step',
  },
  messageOutputTokens: {
    name: 'hist_message_output_tokens',
    kind: 'histogram',
    unit: '1',
    description: 'Output tokens per step',
  },
  endpointE2eMsHistogram: {
    name: 'hist_endpoint_e2e_ms',
    kind: 'histogram',
    unit: 'ms',
    description: 'End-to-end endpoint time',
  },
  endpointRequestCounter: {
    name: 'count_endpoint_requests',
    kind: 'counter',
    unit: '1',
    description: 'Endpoint requests',
  },
  fileProcessBytesHistogram: {
    name: 'hist_file_process_bytes',
    kind: 'histogram',
    unit: 'By',
    description: 'File bytes processed',
  },
  sseActiveSessionsCounter: {
    name: 'sse_active_sessions',
    kind: 'upDownCounter',
    unit: '1',
    description: 'Active SSE sessions',
  },
  readinessStateGauge: {
    name: 'readiness_state',
    kind: 'gauge',
    unit: '1',
    description: 'One-hot readiness state by reason',
  },
  sseDisconnectCounter: {
    name: 'sse_disconnect_total',
    kind: 'counter',
    unit: '1',
    description: 'SSE streams that ended uncleanly',
  },
  sseDurationMsHistogram: {
    name: 'sse_duration_ms',
    kind: 'histogram',
    unit: 'ms',
    description: 'SSE session lifetime',
  },
  eventLoopLagMsHistogram: {
    name: 'event_loop_lag_ms',
    kind: 'histogram',
    unit: 'ms',
    description: 'Event loop scheduling lag',
  },
  executorBacklogGauge: {
    name: 'executor_backlog',
    kind: 'gauge',
    unit: '1',
    description: 'Queued work in the default executor',
  },
  asyncioTaskCountGauge: {
    name: 'asyncio_task_count',
    kind: 'gauge',
    unit: '1',
    description: 'Active asynchronous tasks',
  },
  providerTimeoutCounter: {
    name: 'provider_timeout_total',
    kind: 'counter',
    unit: '1',
    description: 'Model provider calls that timed out',
  },
} as const satisfies Record<string, MetricDefinition>;
