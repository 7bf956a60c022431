import { ConfigError } from "../domain/errors";
import { editDistance } from "../domain/edit-distance";
import { RULES, ruleById } from "../hygiene/catalog";
import type { Suppression } from "../hygiene/report";
import { parseDuration } from "../triage";
import type { AppDeps } from "./app-deps";

/** Longest a suppression may last: it has to come up for review. */
export const MAX_SUPPRESSION_DAYS = 365;

export interface SuppressRequest {
  rule: string;
  resourceId: string;
  reason: string;
  /** `30d`, `12h`, ... */
  duration: string;
  by: string;
}

/**
 * Hides one hygiene rule on one resource from the weekly report until it expires. The report still
 * lists the suppression, so it is not forgotten.
 */
export async function suppress(deps: AppDeps, request: SuppressRequest): Promise<Suppression> {
  if (!ruleById(request.rule)) {
    const close = RULES.map((r) => r.id)
      .sort((a, b) => editDistance(request.rule.toLowerCase(), a.toLowerCase()) - editDistance(request.rule.toLowerCase(), b.toLowerCase()))
      .slice(0, 3);
    throw new ConfigError(`apimbot suppress: no rule "${request.rule}"; did you mean ${close.join(", ")}? (docs/rules.md lists them all)`);
  }
  if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+/i.test(request.resourceId)) {
    throw new ConfigError(`apimbot suppress: "${request.resourceId}" is not the ARM id of an APIM resource (/subscriptions/.../providers/Microsoft.ApiManagement/service/<name>/...); copy it from report --json`);
  }
  if (request.reason.trim().length < 3) throw new ConfigError("apimbot suppress: --reason is required, so the next reader knows why");
  const ms = parseDuration(request.duration);
  if (ms === undefined || ms <= 0) throw new ConfigError(`apimbot suppress: --for "${request.duration}" is not a duration like 30d, 12h or 90m`);
  if (ms > MAX_SUPPRESSION_DAYS * 86_400_000) throw new ConfigError(`apimbot suppress: --for ${request.duration} is longer than ${MAX_SUPPRESSION_DAYS} days`);
  const now = deps.clock.now();
  const suppression: Suppression = {
    rule: request.rule,
    resourceId: request.resourceId,
    reason: request.reason.trim(),
    expiresAt: new Date(now.getTime() + ms).toISOString(),
    createdBy: request.by,
    createdAt: now.toISOString(),
  };
  await deps.reports.putSuppression(suppression);
  return suppression;
}
