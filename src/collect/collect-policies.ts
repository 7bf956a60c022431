import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import type { Logger } from "../domain/logger";
import { ArmPacer, subscriptionOfUrl } from "./arm-pacer";
import { callName } from "./call-name";

/** How hard to try before a read becomes a failure record. */
export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; it doubles per retry, with ±50% jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a longer one ends the retries (the sweep will come back). */
  maxRetryAfterMs: number;
  /** Per-attempt limit until the response headers arrive. */
  timeoutMs: number;
}

/** Defaults sized for a 5-minute sweep: a throttled or flaky call gets about half a minute at most. */
export const defaultRetrySettings: RetrySettings = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000, timeoutMs: 30_000 };

/** Calls made, by API name; shared by every client of one collection run. */
export type CallCounter = Record<string, number>;

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "REQUEST_SEND_ERROR", "ESOCKETTIMEDOUT"]);

/** Thrown when an attempt ran out of time; classified as `Timeout`. */
export class RequestTimeoutError extends Error {
  readonly code = "Timeout";
  constructor(ms: number) {
    super(`no response within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

function statusOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { statusCode?: unknown; response?: { status?: unknown } };
  if (typeof e.statusCode === "number") return e.statusCode;
  if (typeof e.response?.status === "number") return e.response.status;
  return undefined;
}

function retryAfterOf(headers: { get(name: string): string | undefined } | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = Number(headers.get(name));
    if (Number.isFinite(v) && v >= 0 && headers.get(name) !== undefined) return v;
  }
  const raw = headers.get("retry-after");
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal?: { aborted: boolean }): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One retry policy for every client (the SDKs' own is switched off, so all APIs behave alike): 429
 * honours `Retry-After`, transient 5xx, timeouts and dropped connections back off exponentially with
 * jitter. It sits outside deserialization, so it sees both returned and thrown errors.
 */
export function retryPolicy(settings: RetrySettings, counter: CallCounter, log: Logger, random: () => number = Math.random): PipelinePolicy {
  return {
    name: "apimbotRetry",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const callerSignal = request.abortSignal;
      for (let attempt = 0; ; attempt++) {
        let response: PipelineResponse | undefined;
        let error: unknown;
        const controller = new AbortController();
        const onCallerAbort = () => controller.abort();
        callerSignal?.addEventListener("abort", onCallerAbort);
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, settings.timeoutMs);
        request.abortSignal = controller.signal;
        try {
          response = await next(request);
        } catch (err) {
          error = timedOut ? new RequestTimeoutError(settings.timeoutMs) : err;
        } finally {
          clearTimeout(timer);
          callerSignal?.removeEventListener("abort", onCallerAbort);
          request.abortSignal = callerSignal;
        }
        if (callerSignal?.aborted) {
          if (error !== undefined) throw error;
          return response as PipelineResponse;
        }
        const status = response?.status ?? statusOf(error);
        const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
        const transient =
          (status !== undefined && RETRYABLE_STATUS.has(status)) || error instanceof RequestTimeoutError || (typeof code === "string" && NETWORK_CODES.has(code));
        if (!transient || attempt >= settings.maxRetries) {
          if (error !== undefined) throw error;
          return response as PipelineResponse;
        }
        const headers = response?.headers ?? (error as { response?: { headers?: { get(n: string): string | undefined } } } | undefined)?.response?.headers;
        const retryAfter = status === 429 || status === 503 ? retryAfterOf(headers, Date.now()) : undefined;
        if (retryAfter !== undefined && retryAfter > settings.maxRetryAfterMs) {
          if (error !== undefined) throw error;
          return response as PipelineResponse;
        }
        const backoff = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
        const delay = retryAfter ?? Math.round(backoff * (0.5 + random()));
        counter.retries = (counter.retries ?? 0) + 1;
        if (status === 429) counter.throttled = (counter.throttled ?? 0) + 1;
        log.debug("retrying Azure call", { api: callName(request.url), status, attempt: attempt + 1, delayMs: delay });
        // A streamed response must be drained or its socket stays busy.
        response?.readableStreamBody?.resume();
        await sleep(delay, callerSignal);
      }
    },
  };
}

/** Counts every attempt that goes on the wire, by API. */
export function countingPolicy(counter: CallCounter): PipelinePolicy {
  return {
    name: "apimbotCallCounter",
    sendRequest(request, next) {
      const name = callName(request.url);
      counter[name] = (counter[name] ?? 0) + 1;
      return next(request);
    },
  };
}

/** Waits for an ARM token before each attempt to the ARM host. */
export function pacingPolicy(pacer: ArmPacer, armOrigin: string): PipelinePolicy {
  return {
    name: "apimbotArmPacer",
    async sendRequest(request, next) {
      if (request.url.toLowerCase().startsWith(armOrigin.toLowerCase())) await pacer.take(subscriptionOfUrl(request.url));
      return next(request);
    },
  };
}
