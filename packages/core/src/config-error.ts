import { LettaError } from './letta-error';

/** One problem with a configuration value, located in the operator's terms. */
export interface ConfigIssue {
  /** The property path of the setting or option, e.g. `poolSize` or `telemetry.datadogAgentPort`; `''` for a whole file. */
  readonly path: string;
  /** The environment variable (or `.env` entry) that supplied the value, or that supplies it in Letta's settings. */
  readonly envVar?: string;
  /** The config or `.env` file that supplied the value. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** A full sentence that names the setting, what is wrong and how to fix it. It never holds a secret. */
  readonly message: string;
}

/**
 * Configuration that cannot be used: every problem at once, one per line in the message. The settings
 * loader and each package's options check throw a subclass of it with their own `code`.
 */
export abstract class ConfigError extends LettaError {
  readonly issues: readonly ConfigIssue[];

  constructor(summary: string, issues: readonly ConfigIssue[]) {
    super(formatIssues(summary, issues));
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }
}

function formatIssues(summary: string, issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `${summary} (${count}):\n${issues.map((issue) => `  ${issue.message}`).join('\n')}`;
}
