/**
 * `auth-failure-burst`: per API and `LastErrorReason`, a burst of gateway 401/403 responses against the
 * API's own baseline. A chronic steady rate is not a burst.
 */
import type { Detection, Severity } from "../domain/finding";
import { fingerprint } from "../domain/fingerprint";
import type { AuthLogGroup, InstanceTelemetry, RequestCount } from "../domain/telemetry";
import { portalUrl } from "../playbook/portal-url";
import { remediation } from "../playbook/playbook";
import type { AuthBurstConfig } from "./config";
import { apiResource } from "./api-resource";
import { formatCount, formatMinutes, formatPercent, minutesBetween } from "./format";
import { instanceFields } from "./instance-fields";
import { priorOpen } from "./prior-open";
import { rateVerdict } from "./rate-verdict";
import { redactSecrets } from "./redact";
import { hasBackendCode, hasReason, rateSeries, rateWindow, requestsByApi, type GrainTally } from "./traffic";
import { telemetryFor, type DetectContext, type Detector } from "./types";

/** The cause apimbot treats as a possible signing-key rollover. */
export const ROLLOVER_CAUSE = "TokenSignatureKeyNotFound";

/** Auth-related `LastErrorReason` values, in words. */
export const AUTH_REASON_WORDS: Record<string, string> = {
  TokenAudienceNotAllowed: "the token's audience is not one the validate-jwt policy accepts",
  TokenExpired: "tokens arrive already expired (reused tokens or clock skew)",
  TokenSignatureKeyNotFound: "tokens are signed with a key the gateway does not know",
  TokenSignatureInvalid: "token signatures do not verify",
  TokenIssuerNotAllowed: "the token's issuer is not one the validate-jwt policy accepts",
  TokenClaimNotFound: "tokens lack a claim the policy requires",
  TokenClaimValueNotAllowed: "a claim carries a value the policy does not allow",
  TokenNotPresent: "requests arrive without a token",
  JwtInvalid: "tokens are malformed or otherwise invalid",
  SubscriptionKeyNotFound: "requests arrive without a subscription key",
  SubscriptionKeyInvalid: "requests carry a subscription key that is not valid for an active subscription",
};

/** A gateway-generated 401 or 403 (the backend's own 401s are its business, not the gateway's). */
export function isAuthFailure(row: RequestCount): boolean {
  if (!hasReason(row) || hasBackendCode(row)) return false;
  if (row.gatewayResponseCode === "401" || row.gatewayResponseCode === "403") return true;
  return row.gatewayResponseCode === "" && row.gatewayResponseCodeCategory === "4xx" && row.lastErrorReason in AUTH_REASON_WORDS;
}

/** How a burst has moved: when it began, its peak, and whether it is already falling. */
export interface BurstShape {
  onset?: string;
  peakRate: number;
  latestRate: number;
  falling: boolean;
}

/** Finds the start of the run of elevated grains that holds the recent peak. */
export function burstShape(grains: readonly GrainTally[], recentFrom: string, elevatedRate: number, fallingRatio: number): BurstShape {
  const from = Date.parse(recentFrom);
  let peak = -1;
  for (let i = 0; i < grains.length; i++) {
    const g = grains[i];
    if (!g || Date.parse(g.time) < from || g.total === 0) continue;
    if (peak < 0 || g.rate > (grains[peak]?.rate ?? 0)) peak = i;
  }
  if (peak < 0) return { peakRate: 0, latestRate: 0, falling: false };
  let start = peak;
  while (start > 0) {
    const prev = grains[start - 1];
    if (!prev || prev.total === 0 || prev.rate < elevatedRate) break;
    start--;
  }
  const withTraffic = grains.filter((g) => g.total > 0);
  const latest = withTraffic[withTraffic.length - 1];
  const peakRate = grains[peak]?.rate ?? 0;
  const latestRate = latest?.rate ?? 0;
  return { onset: grains[start]?.time, peakRate, latestRate, falling: latestRate <= peakRate * fallingRatio };
}

function mergeTop(lists: { value: string; count: number }[][], limit = 5): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const list of lists) for (const e of list) counts.set(e.value, (counts.get(e.value) ?? 0) + e.count);
  return [...counts.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, limit);
}

/** Gateway log groups for this API and reason, merged, or undefined when no workspace was queried. */
function logEvidence(telemetry: InstanceTelemetry, apiId: string, reason: string) {
  const logs = telemetry.authLogs;
  if (!logs) return undefined;
  const groups: AuthLogGroup[] = logs.groups.filter((g) => g.apiId.toLowerCase() === apiId.toLowerCase() && g.lastErrorReason === reason);
  const sample = groups.find((g) => g.sampleMessage)?.sampleMessage;
  return {
    table: logs.table,
    workspaceId: logs.workspaceId,
    matched: groups.reduce((n, g) => n + g.count, 0),
    responseCodes: [...new Set(groups.map((g) => g.responseCode))].sort(),
    topCallerIps: mergeTop(groups.map((g) => g.topCallerIps)),
    topSubscriptions: mergeTop(groups.map((g) => g.topSubscriptions)),
    topProducts: mergeTop(groups.map((g) => g.topProducts)),
    sampleMessage: sample === undefined ? undefined : redactSecrets(sample),
  };
}

function severityFor(reason: string, rate: number, shape: BurstShape, ageMinutes: number | undefined, cfg: AuthBurstConfig): { severity: Severity; rollover?: "settling" | "young" | "persisting" } {
  if (reason === ROLLOVER_CAUSE) {
    const young = ageMinutes !== undefined && ageMinutes <= cfg.rolloverGraceMinutes;
    if (young && shape.falling) return { severity: "info", rollover: "settling" };
    if (young) return { severity: "warning", rollover: "young" };
    return { severity: "critical", rollover: "persisting" };
  }
  return { severity: rate >= cfg.criticalRate ? "critical" : "warning" };
}

function detect(ctx: DetectContext): Detection[] {
  const cfg = ctx.config.authBurst;
  const out: Detection[] = [];
  for (const snapshot of ctx.estate.instances) {
    const telemetry = telemetryFor(ctx, snapshot.instance.id);
    if (!telemetry) continue;
    const name = snapshot.instance.name;
    for (const [apiId, rows] of requestsByApi(telemetry)) {
      const reasons = [...new Set(rows.filter(isAuthFailure).map((r) => r.lastErrorReason))].sort();
      const api = apiResource(snapshot, apiId);
      for (const reason of reasons) {
        const id = fingerprint("auth-failure-burst", api.resourceId, reason);
        const isThis = (r: RequestCount) => isAuthFailure(r) && r.lastErrorReason === reason;
        const window = rateWindow(telemetry, rows, isThis, cfg.recentMinutes, cfg.fireRate);
        const verdict = rateVerdict(window, cfg, priorOpen(ctx.prior, id));
        if (!verdict.fire) continue;

        const { recent } = window;
        const shape = burstShape(window.grains, window.recentFrom, cfg.resolveRate, cfg.rolloverFallingRatio);
        const onset = shape.onset ? new Date(shape.onset) : undefined;
        const ageMinutes = onset ? minutesBetween(onset, ctx.now) : undefined;
        const { severity, rollover } = severityFor(reason, recent.rate, shape, ageMinutes, cfg);
        const logs = logEvidence(telemetry, apiId, reason);

        const baselineText = verdict.baselineRate === undefined ? "baseline unknown" : `baseline ${formatPercent(verdict.baselineRate)}`;
        const title = `${reason} burst on ${api.api} (${name}): ${formatPercent(recent.rate)} of ${formatCount(recent.total)} requests rejected, ${baselineText}`;
        const parts = [
          `In the last ${formatMinutes(cfg.recentMinutes)}, the gateway rejected ${formatCount(recent.failures)} of ${formatCount(recent.total)} requests to ${api.label} on ${name} with ${reason} (${formatPercent(recent.rate)}): ${AUTH_REASON_WORDS[reason] ?? "see the gateway logs for the message"}.`,
          verdict.baselineRate === undefined
            ? "There was too little earlier traffic to compare with."
            : `Earlier in the window the rate was ${formatPercent(verdict.baselineRate)}, so this is a burst, not a steady level.`,
        ];
        if (rollover === "settling") {
          parts.push(`It began ${formatMinutes(ageMinutes ?? 0)} ago and is already falling (peak ${formatPercent(shape.peakRate)}, now ${formatPercent(shape.latestRate)}): likely a signing-key rollover the gateway is catching up with. Wait ${cfg.rolloverGraceMinutes} minutes; apimbot raises it to critical if it persists.`);
        } else if (rollover === "young") {
          parts.push(`It began ${formatMinutes(ageMinutes ?? 0)} ago and is not falling yet; if it is a key rollover it should clear within ${cfg.rolloverGraceMinutes} minutes.`);
        } else if (rollover === "persisting") {
          parts.push(`It has lasted ${ageMinutes === undefined ? "the whole window" : formatMinutes(ageMinutes)}, longer than a key rollover takes to settle: every caller with a newly signed token is rejected.`);
        }
        if (!logs) {
          parts.push(`No Log Analytics workspace was queried for ${name}, so there is less to go on: the counts come from the Requests metric alone, without callers or error messages.`);
        } else if (logs.matched === 0) {
          parts.push("The gateway logs had no matching rows yet (log ingestion lags the metric by a few minutes).");
        } else {
          const who = logs.topSubscriptions[0] ? ` Most came from subscription ${logs.topSubscriptions[0].value}.` : "";
          parts.push(`The gateway logs (${logs.table}) hold ${formatCount(logs.matched)} of these.${who}`);
        }

        out.push({
          id,
          kind: "auth-failure-burst",
          severity,
          resourceId: api.resourceId,
          ...instanceFields(snapshot.instance),
          api: api.api,
          cause: reason,
          title,
          summary: parts.join(" "),
          evidence: {
            rate: recent.rate,
            baselineRate: verdict.baselineRate ?? null,
            requests: recent.total,
            failures: recent.failures,
            baselineRequests: window.baseline.total,
            baselineFailures: window.baseline.failures,
            burstStart: shape.onset ?? null,
            peakRate: shape.peakRate,
            latestRate: shape.latestRate,
            rollover: rollover ?? null,
            window: { from: telemetry.from, recentFrom: window.recentFrom, to: telemetry.to, grainMinutes: telemetry.intervalMinutes },
            source: telemetry.source,
            logs: logs ?? null,
            verdict: verdict.reason,
            seriesUnit: "percent",
          },
          remediation: remediation("auth-failure-burst", reason, {
            instance: name,
            resourceGroup: snapshot.instance.resourceGroup,
            api: api.displayName,
            graceMinutes: String(cfg.rolloverGraceMinutes),
          }),
          portalUrl: portalUrl(snapshot.instance.id, "apis"),
          series: rateSeries(window.grains),
          memo: verdict.baselineRate === undefined ? undefined : { baselineRate: verdict.baselineRate },
        });
      }
    }
  }
  return out;
}

/** The auth failure burst detector. */
export const authBurstDetector: Detector = {
  id: "auth-burst",
  kinds: ["auth-failure-burst"],
  title: "401/403 bursts per API and cause",
  description:
    "For each API and each `LastErrorReason` of gateway-generated 401/403 responses (from the `Requests` metric, which works without a workspace), compares the recent rate with the API's own baseline. Volume and failure floors, an absolute rate floor and a multiple of the baseline keep chronic steady rates quiet; hysteresis keeps a burst open until it falls below the resolve rate. The elevated run just before the recent window is left out of the baseline, as for 5xx spikes. A `TokenSignatureKeyNotFound` burst younger than the rollover grace that is already falling is reported as info (likely a signing-key rollover); one that outlives the grace is critical. Where gateway logs were queried, the finding adds top callers, subscriptions, products and a redacted sample message.",
  defaults: (c) => ({
    "authBurst.recentMinutes": c.authBurst.recentMinutes,
    "authBurst.minRequests": c.authBurst.minRequests,
    "authBurst.minFailures": c.authBurst.minFailures,
    "authBurst.fireRate": c.authBurst.fireRate,
    "authBurst.resolveRate": c.authBurst.resolveRate,
    "authBurst.baselineRatio": c.authBurst.baselineRatio,
    "authBurst.minBaselineRequests": c.authBurst.minBaselineRequests,
    "authBurst.criticalRate": c.authBurst.criticalRate,
    "authBurst.overwhelmingRate": c.authBurst.overwhelmingRate,
    "authBurst.rolloverGraceMinutes": c.authBurst.rolloverGraceMinutes,
    "authBurst.rolloverFallingRatio": c.authBurst.rolloverFallingRatio,
  }),
  notes: [
    "The validate-jwt reasons (`TokenNotPresent`, `TokenSignatureInvalid`, `TokenAudienceNotAllowed`, `TokenIssuerNotAllowed`, `TokenExpired`, `TokenSignatureKeyNotFound`, `TokenClaimNotFound`, `TokenClaimValueNotAllowed`, `JwtInvalid`) and the built-in `SubscriptionKeyNotFound`/`SubscriptionKeyInvalid` come from the API Management error handling docs.",
    "Microsoft Entra ID rolls its token signing keys periodically and can roll them at once in an emergency; validators that load keys from the OpenID metadata pick new keys up on their next metadata refresh.",
  ],
  detect,
};
