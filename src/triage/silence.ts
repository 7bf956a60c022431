/**
 * Building a silence from what someone asked for, refusing the ones that would hide too much.
 */
import { fnv1a64 } from "../domain/fingerprint";
import type { Silence } from "./muter";
import { formatDuration } from "./parse-duration";

/** Longest silence accepted: a longer maintenance window should be a routing change, not a mute. */
export const MAX_SILENCE_MS = 30 * 86_400_000;

/** What a `silence` command or card asks for. */
export interface SilenceRequest {
  instance?: string;
  api?: string;
  /** How long from `now`; required. */
  durationMs?: number;
  reason?: string;
  by: string;
}

const MATCH_ALL = /^[\s*.?]*$/;

/**
 * A validated silence, or an error a person can act on. A silence with no end, one longer than
 * {@link MAX_SILENCE_MS}, or one that names neither an instance nor an API is refused.
 */
export function createSilence(request: SilenceRequest, now: Date): { silence: Silence } | { error: string } {
  const instance = request.instance?.trim() || undefined;
  const api = request.api?.trim() || undefined;
  if ((instance === undefined || MATCH_ALL.test(instance)) && (api === undefined || MATCH_ALL.test(api))) {
    return { error: "A silence must name an instance or an API; one that matches everything would hide every alert. Example: `silence pay-apim-prod 2h maintenance`." };
  }
  if ((instance && /[*?]/.test(instance)) || (api && /[*?]/.test(api))) {
    return { error: "A silence names an instance or API exactly; wildcards are not supported." };
  }
  const duration = request.durationMs;
  if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
    return { error: "A silence needs an end: give a duration such as 30m, 4h or 1d." };
  }
  if (duration > MAX_SILENCE_MS) {
    return { error: `A silence may last at most ${formatDuration(MAX_SILENCE_MS)}; ${formatDuration(duration)} was asked for.` };
  }
  const by = request.by.trim();
  if (by === "") return { error: "A silence must say who set it." };
  const at = now.toISOString();
  const endsAt = new Date(now.getTime() + duration).toISOString();
  const reason = request.reason?.trim() ?? "";
  const id = fnv1a64(["silence", instance?.toLowerCase() ?? "", api?.toLowerCase() ?? "", at, endsAt, by].join("\u0000"));
  return { silence: { kind: "silence", id, instance, api, at, endsAt, reason, by } };
}
