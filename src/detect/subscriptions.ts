/**
 * `subscription-expiring`, `subscription-expired` and `subscription-suspended`: subscription contracts
 * whose keys stop working, or will.
 */
import type { Detection, Severity } from "../domain/finding";
import { fingerprint } from "../domain/fingerprint";
import type { InstanceSnapshot, SubscriptionContract } from "../domain/snapshot";
import { portalUrl } from "../playbook/portal-url";
import { remediation, type PlaybookNames } from "../playbook/playbook";
import type { SubscriptionsConfig } from "./config";
import { formatDay, formatDays, parseTime } from "./format";
import { instanceFields } from "./instance-fields";
import { telemetryFor, type DetectContext, type Detector } from "./types";

const DAY_MS = 86_400_000;

/** The rung of the reminder ladder a contract with `daysLeft` has reached: the smallest rung ≥ daysLeft. */
export function reminderRung(daysLeft: number, ladder: readonly number[]): number | undefined {
  const rungs = [...ladder].sort((a, b) => a - b);
  return rungs.find((r) => daysLeft <= r);
}

/** Severity of a rung: critical at or below `criticalDays`, warning at or below `warningDays`, else info. */
export function rungSeverity(rung: number, cfg: SubscriptionsConfig): Severity {
  if (rung <= cfg.criticalDays) return "critical";
  if (rung <= cfg.warningDays) return "warning";
  return "info";
}

function scopeText(c: SubscriptionContract): string {
  if (c.scopeKind === "all-apis") return "all APIs";
  if (c.scopeKind === "product") return `product ${c.scopeName ?? c.scope}`;
  if (c.scopeKind === "api") return `API ${c.scopeName ?? c.scope}`;
  return c.scope;
}

function ownerText(c: SubscriptionContract): string | undefined {
  if (c.ownerName && c.ownerEmail) return `${c.ownerName} <${c.ownerEmail}>`;
  return c.ownerName ?? c.ownerEmail ?? (c.ownerId ? c.ownerId.split("/").pop() : undefined);
}

function label(c: SubscriptionContract): string {
  return c.displayName && c.displayName !== c.name ? `${c.displayName} (${c.name})` : c.name;
}

/** Subscription names seen failing in the gateway logs (keys of stopped contracts still in use). */
function stillCalled(ctx: DetectContext, snapshot: InstanceSnapshot): Map<string, number> {
  const seen = new Map<string, number>();
  const logs = telemetryFor(ctx, snapshot.instance.id)?.authLogs;
  for (const g of logs?.groups ?? []) {
    for (const s of g.topSubscriptions) seen.set(s.value.toLowerCase(), (seen.get(s.value.toLowerCase()) ?? 0) + s.count);
  }
  return seen;
}

function base(snapshot: InstanceSnapshot, c: SubscriptionContract) {
  return {
    resourceId: c.id,
    ...instanceFields(snapshot.instance),
    portalUrl: portalUrl(snapshot.instance.id, "subscriptions"),
  };
}

function names(snapshot: InstanceSnapshot, c: SubscriptionContract): PlaybookNames {
  return {
    instance: snapshot.instance.name,
    resourceGroup: snapshot.instance.resourceGroup,
    contract: label(c),
    owner: ownerText(c),
    scope: scopeText(c),
    expires: c.expirationDate ? formatDay(c.expirationDate) : undefined,
  };
}

function evidence(c: SubscriptionContract, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    subscription: c.name,
    displayName: c.displayName ?? null,
    state: c.state,
    scope: c.scope,
    scopeKind: c.scopeKind,
    scopeName: c.scopeName ?? null,
    owner: ownerText(c) ?? null,
    ownerId: c.ownerId ?? null,
    expirationDate: c.expirationDate ?? null,
    endDate: c.endDate ?? null,
    ...extra,
  };
}

function expiring(ctx: DetectContext, snapshot: InstanceSnapshot, c: SubscriptionContract): Detection | undefined {
  const cfg = ctx.config.subscriptions;
  const expires = parseTime(c.expirationDate);
  if (!expires) return undefined;
  const msLeft = expires.getTime() - ctx.now.getTime();
  const daysLeft = msLeft / DAY_MS;
  // Whole days decide the rung, so the title's "in 7 days" and the rung's severity always agree.
  const wholeDays = Math.max(0, Math.floor(daysLeft));
  const rung = msLeft <= 0 ? 0 : reminderRung(wholeDays, cfg.reminderDays);
  if (rung === undefined) return undefined;
  const owner = ownerText(c);
  const when = msLeft <= 0 ? `passed on ${formatDay(expires.toISOString())}` : wholeDays === 0 ? "is less than a day away" : `is in ${formatDays(wholeDays)} (${formatDay(expires.toISOString())})`;
  const title =
    msLeft <= 0
      ? `Subscription ${label(c)} on ${snapshot.instance.name} is past its expiration date (${formatDay(expires.toISOString())}) but still active`
      : `Subscription ${label(c)} on ${snapshot.instance.name} expires in ${wholeDays === 0 ? "under a day" : formatDays(wholeDays)} (${scopeText(c)}, owner ${owner ?? "unknown"})`;
  const summary = [
    `The expiration date of subscription ${label(c)} (${scopeText(c)}) ${when}. Owner: ${owner ?? "none recorded"}.`,
    "API Management does not deactivate a contract on that date by itself: the keys keep working until its state is changed to expired, suspended or cancelled, so check which process acts on the date before callers are cut off.",
  ].join(" ");
  return {
    id: fingerprint("subscription-expiring", c.id),
    kind: "subscription-expiring",
    severity: msLeft <= 0 ? "warning" : rungSeverity(rung, cfg),
    ...base(snapshot, c),
    title,
    summary,
    evidence: evidence(c, { daysLeft: Math.round(daysLeft * 10) / 10, rung, ladder: [...cfg.reminderDays].sort((a, b) => b - a) }),
    remediation: remediation("subscription-expiring", undefined, names(snapshot, c)),
    memo: { rung },
  };
}

function stopped(ctx: DetectContext, snapshot: InstanceSnapshot, c: SubscriptionContract, called: Map<string, number>): Detection | undefined {
  const state = c.state.toLowerCase();
  if (state !== "expired" && state !== "suspended") return undefined;
  const calls = called.get(c.name.toLowerCase()) ?? 0;
  const owner = ownerText(c);
  if (state === "expired") {
    const ended = parseTime(c.endDate) ?? parseTime(c.expirationDate);
    const ageDays = ended ? (ctx.now.getTime() - ended.getTime()) / DAY_MS : undefined;
    // Old expired contracts are history; report only recent ones, or any still being called.
    if (calls === 0 && ageDays !== undefined && ageDays > ctx.config.subscriptions.expiredLookbackDays) return undefined;
    return {
      id: fingerprint("subscription-expired", c.id),
      kind: "subscription-expired",
      severity: calls > 0 ? "warning" : "info",
      ...base(snapshot, c),
      title: `Subscription ${label(c)} on ${snapshot.instance.name} has expired${ended ? ` (${formatDay(ended.toISOString())})` : ""}${calls > 0 ? `, still called ${calls} times` : ""}`,
      summary: `Subscription ${label(c)} (${scopeText(c)}, owner ${owner ?? "none recorded"}) is in state expired, so its keys are rejected with 401.${calls > 0 ? ` The gateway logs show ${calls} rejected calls with it in the window: someone still depends on it.` : ""}`,
      evidence: evidence(c, { rejectedCalls: calls }),
      remediation: remediation("subscription-expired", undefined, names(snapshot, c)),
    };
  }
  return {
    id: fingerprint("subscription-suspended", c.id),
    kind: "subscription-suspended",
    severity: calls > 0 ? "warning" : "info",
    ...base(snapshot, c),
    title: `Subscription ${label(c)} on ${snapshot.instance.name} is suspended${calls > 0 ? `, still called ${calls} times` : ""}`,
    summary: `Subscription ${label(c)} (${scopeText(c)}, owner ${owner ?? "none recorded"}) is suspended: its callers cannot call the APIs it grants until it is activated again.${calls > 0 ? ` The gateway logs show ${calls} rejected calls with it in the window.` : ""}`,
    evidence: evidence(c, { rejectedCalls: calls }),
    remediation: remediation("subscription-suspended", undefined, names(snapshot, c)),
  };
}

function detect(ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  for (const snapshot of ctx.estate.instances) {
    if (!snapshot.subscriptions) continue;
    const called = stillCalled(ctx, snapshot);
    for (const c of snapshot.subscriptions) {
      const d = c.state.toLowerCase() === "active" ? expiring(ctx, snapshot, c) : stopped(ctx, snapshot, c, called);
      if (d) out.push(d);
    }
  }
  return out;
}

/** The subscription contract detector. */
export const subscriptionsDetector: Detector = {
  id: "subscriptions",
  kinds: ["subscription-expiring", "subscription-expired", "subscription-suspended"],
  title: "Expiring, expired and suspended subscriptions",
  description:
    "An active contract whose `expirationDate` falls inside the reminder ladder gets one finding, whose severity follows the rung reached (remembered in the finding's memo, so triage can report `escalated`). One already past its date but still active stays a warning. Expired contracts are reported when they expired within the lookback or are still being called (seen in gateway logs); suspended ones always, as info, or warning when still being called. Submitted, rejected and cancelled contracts are not alerts. Contracts are read on the slower cadence; a sweep that did not read them emits nothing here, and triage keeps the earlier findings.",
  defaults: (c) => ({
    "subscriptions.reminderDays": c.subscriptions.reminderDays,
    "subscriptions.warningDays": c.subscriptions.warningDays,
    "subscriptions.criticalDays": c.subscriptions.criticalDays,
    "subscriptions.expiredLookbackDays": c.subscriptions.expiredLookbackDays,
  }),
  notes: [
    "REST reference (SubscriptionContract): `expirationDate` is for audit only and the subscription is not expired automatically; its lifecycle is managed through `state` (active, suspended, submitted, rejected, cancelled, expired).",
  ],
  detect,
};
