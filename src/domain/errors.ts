/**
 * Errors a user sees carry a stable code and say what to do. Each is either retryable or permanent.
 */
export class ApimbotError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApimbotError";
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Bad usage or configuration: the CLI exits 2 with this message. */
export class ConfigError extends ApimbotError {
  constructor(message: string) {
    super("Config", message);
    this.name = "ConfigError";
  }
}

/** Turns anything thrown into a message safe to show: no stack, no secret-bearing fields. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  return "unknown error";
}
