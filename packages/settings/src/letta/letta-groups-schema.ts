import { z } from 'zod';
import { snakeCase } from '../loader/setting-field';

const bool = (value: boolean, description: string) => z.boolean().default(value).describe(description);
const int = (value: number, description: string) => z.int().default(value).describe(description);
const num = (value: number, description: string) => z.number().default(value).describe(description);
const optionalText = (description: string) => z.string().nullable().default(null).describe(description);

/** Letta's `ToolSettings`: no prefix, each variable is the field name in upper case (`E2B_API_KEY`). */
export const toolShape = {
  e2bApiKey: optionalText('API key for using E2B as a tool sandbox'),
  e2bSandboxTemplateId: optionalText('Template ID of the E2B sandbox'),
  modalTokenId: optionalText('Token id for using Modal as a tool sandbox'),
  modalTokenSecret: optionalText('Token secret for using Modal as a tool sandbox'),
  tavilyApiKey: optionalText('API key for using Tavily as a search provider'),
  exaApiKey: optionalText('API key for using Exa as a search provider'),
  toolExecDir: optionalText('Directory of the local tool sandbox; unset, ~/.letta/tool_execution_dir'),
  toolSandboxTimeout: num(180, 'Timeout of one tool run in the sandbox (seconds)'),
  toolExecVenvName: optionalText('Virtual environment of the local tool sandbox'),
  toolExecAutoreloadVenv: bool(true, 'Rebuild the local sandbox virtual environment when it changes'),
  mcpConnectToServerTimeout: num(30, 'Timeout of connecting to an MCP server (seconds)'),
  mcpListToolsTimeout: num(30, 'Timeout of listing the tools of an MCP server (seconds)'),
  mcpExecuteToolTimeout: num(60, 'Timeout of one MCP tool call (seconds)'),
  mcpReadFromConfig: bool(false, 'Read and write MCP servers from the config file'),
  mcpDisableStdio: bool(
    true,
    'Refuse MCP servers over stdio (they spawn local processes); false for single-user deployments',
  ),
};

/** The values of Letta's `SummarizationMode`. */
export const SUMMARIZATION_MODES = [
  'static_message_buffer_mode',
  'partial_evict_message_buffer_mode',
] as const;

/** Letta's `SummarizerSettings` (prefix `LETTA_SUMMARIZER_`). */
export const summarizerShape = {
  mode: z
    .string()
    .regex(new RegExp(`^(?:${SUMMARIZATION_MODES.join('|')})$`), {
      message: `expected one of ${SUMMARIZATION_MODES.join(', ')}`,
    })
    .default('partial_evict_message_buffer_mode')
    .describe('How the conversation is trimmed'),
  messageBufferLimit: int(60, 'Messages in context before the summarizer runs'),
  messageBufferMin: int(15, 'Messages kept in context after summarizing'),
  enableSummarization: bool(true, 'Summarize when the context is full'),
  maxSummarizationRetries: int(3, 'Attempts of one summarization'),
  partialEvictSummarizerPercentage: num(0.3, 'Share of messages evicted by a partial eviction'),
  evictAllMessages: bool(false, 'Evict every message when summarizing (legacy summarizer)'),
  maxSummarizerRetries: int(3, 'Summarizer attempts before a fatal error (legacy summarizer)'),
  memoryWarningThreshold: num(0.75, 'Context share at which the model is warned of a summary'),
  sendMemoryWarningMessage: bool(false, 'Send the memory warning message'),
  desiredMemoryTokenPressure: num(0.3, 'Context share to summarize down to'),
  keepLastNMessages: int(0, 'Recent messages always kept in context'),
};

/** Letta's `ReadinessSettings` (prefix `LETTA_READINESS_`): every gate is off by default. */
export const readinessShape = {
  enforcementEnabled: bool(false, 'Answer /v1/ready/ from the readiness gates (the master switch)'),
  drainReturns503: bool(true, 'Answer 503 on /v1/ready/ while draining (with enforcement on)'),
  eventLoopLagGatingEnabled: bool(false, 'Go degraded when the event loop lags'),
  eventLoopLagThresholdMs: z
    .number()
    .min(100)
    .default(5000)
    .describe('Event-loop lag that degrades readiness (milliseconds)'),
  fgInFlightGatingEnabled: bool(false, 'Go degraded on too many foreground runs in flight'),
  fgInFlightThreshold: z.int().min(1).default(10).describe('Foreground runs in flight allowed per instance'),
  bgInFlightGatingEnabled: bool(false, 'Go degraded on too many background runs in flight'),
  bgInFlightThreshold: z.int().min(1).default(15).describe('Background runs in flight allowed per instance'),
  admissionWaitGatingEnabled: bool(false, "Go degraded when requests wait long for an agent's lock"),
  admissionWaitThresholdMs: z
    .number()
    .min(10)
    .default(300)
    .describe('Admission (lock) wait that degrades readiness (milliseconds)'),
  degradedStabilizationSeconds: z
    .number()
    .min(0)
    .default(30)
    .describe('How long a gate must hold before the instance goes degraded (seconds)'),
  recoveryStabilizationSeconds: z
    .number()
    .min(0)
    .default(15)
    .describe('How long every gate must be clear before the instance is ready again (seconds)'),
};

/** `toolShape`'s variables: each field's name in upper case, no prefix (as Letta's `ToolSettings`). */
export function toolAliases(): Record<string, readonly string[]> {
  return Object.fromEntries(
    Object.keys(toolShape).map((key) => [`tool.${key}`, [snakeCase(key).toUpperCase()]]),
  );
}
