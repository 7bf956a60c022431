import type { CollectionFailure } from "../domain/snapshot";
import { redactSecrets } from "./redact-secrets";

/** Where a failure happened: which instance (or subscription) and which part of it. */
export interface FailureContext {
  instanceId: string;
  instance: string;
  part: string;
  at: Date;
}

/** A thrown value's HTTP status and service error code, when it carries them. */
interface ErrorShape {
  status?: number;
  code?: string;
  message: string;
  name?: string;
}

function shapeOf(err: unknown): ErrorShape {
  if (typeof err === "object" && err !== null) {
    const e = err as Record<string, unknown>;
    const response = e.response as Record<string, unknown> | undefined;
    const status =
      typeof e.statusCode === "number" ? e.statusCode : typeof e.status === "number" ? e.status : typeof response?.status === "number" ? response.status : undefined;
    return {
      status,
      code: typeof e.code === "string" ? e.code : undefined,
      message: typeof e.message === "string" ? e.message : String(err),
      name: typeof e.name === "string" ? e.name : undefined,
    };
  }
  return { message: typeof err === "string" ? err : "unknown error" };
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "REQUEST_SEND_ERROR"]);

/** Classifies anything thrown while reading Azure into a stable code and whether a retry could help. */
export function classifyError(err: unknown): { code: string; status?: number; retryable: boolean; message: string } {
  const e = shapeOf(err);
  const status = e.status && e.status > 0 ? e.status : undefined;
  let code: string;
  let retryable = false;
  if (e.code === "Timeout" || e.name === "TimeoutError" || e.code === "ETIMEDOUT" || e.code === "ESOCKETTIMEDOUT") {
    code = "Timeout";
    retryable = true;
  } else if (e.code === "MalformedResponse" || e.code === "PARSE_ERROR" || err instanceof SyntaxError) {
    code = "MalformedResponse";
    retryable = true;
  } else if (status === 401) {
    code = "Unauthorized";
  } else if (status === 403) {
    code = "Forbidden";
  } else if (status === 404) {
    code = "NotFound";
  } else if (status === 429) {
    code = "Throttled";
    retryable = true;
  } else if (status === 408 || status === 504) {
    code = "Timeout";
    retryable = true;
  } else if (status !== undefined && status >= 500) {
    code = "ServerError";
    retryable = true;
  } else if (status !== undefined && status >= 400) {
    code = "BadRequest";
  } else if (e.code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(e.code)) {
    // The endpoint's certificate is not trusted: a configuration problem, not a transient one.
    code = "TlsUntrusted";
  } else if (e.code !== undefined && NETWORK_CODES.has(e.code)) {
    code = "Network";
    retryable = true;
  } else if (e.name === "AbortError") {
    code = "Aborted";
  } else if (e.name === "TypeError" || e.name === "RangeError") {
    // The SDK or a mapper choked on a body it did not expect.
    code = "MalformedResponse";
  } else {
    code = "Unknown";
  }
  return { code, status, retryable, message: safeMessage(e.message) };
}

/** A message fit for a card or log: one line, bounded, with anything credential-like removed. */
export function safeMessage(message: string): string {
  const oneLine = message.replace(/\s+/g, " ").trim();
  const bounded = oneLine.length > 400 ? `${oneLine.slice(0, 400)}…` : oneLine;
  return redactSecrets(bounded) || "no message";
}

/** Turns anything thrown into a {@link CollectionFailure} record for the given instance and part. */
export function toCollectionFailure(err: unknown, ctx: FailureContext): CollectionFailure {
  const c = classifyError(err);
  const failure: CollectionFailure = {
    instanceId: ctx.instanceId,
    instance: ctx.instance,
    part: ctx.part,
    code: c.code,
    message: c.message,
    retryable: c.retryable,
    at: ctx.at.toISOString(),
  };
  if (c.status !== undefined) failure.status = c.status;
  return failure;
}

/**
 * Folds repeated failures of the same part with the same code (one per API's policy, say) into one
 * record that says how many there were, so one broken collection is one finding, not fifty.
 */
export function collapseFailures(failures: readonly CollectionFailure[]): CollectionFailure[] {
  const out: CollectionFailure[] = [];
  const seen = new Map<string, { record: CollectionFailure; count: number; first: string }>();
  for (const f of failures) {
    const key = `${f.instanceId}|${f.part}|${f.code}`;
    const hit = seen.get(key);
    if (!hit) {
      const record = { ...f };
      seen.set(key, { record, count: 1, first: f.message });
      out.push(record);
    } else {
      hit.count++;
      hit.record.message = `${hit.first} (${hit.count} reads of ${f.part} failed this way)`;
    }
  }
  return out;
}
