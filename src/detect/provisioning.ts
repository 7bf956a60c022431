/**
 * `provisioning-stuck` and `provisioning-failed`: an instance in a non-terminal state for longer than its
 * tier normally needs, or one whose last operation failed.
 */
import type { Detection, Severity } from "../domain/finding";
import { fingerprint } from "../domain/fingerprint";
import type { ActivityEvent, InstanceSnapshot } from "../domain/snapshot";
import { portalUrl } from "../playbook/portal-url";
import { remediation } from "../playbook/playbook";
import type { ProvisioningTierThresholds } from "./config";
import { formatMinutes, minutesBetween, parseTime } from "./format";
import { instanceFields } from "./instance-fields";
import type { DetectContext, Detector } from "./types";


/** States after which nothing more happens by itself. */
const TERMINAL = new Set(["succeeded", "failed", "canceled", "cancelled", "deleted"]);

/** Tiers whose deployments and infrastructure changes finish in minutes. */
const FAST_TIERS = new Set(["consumption", "basicv2", "standardv2", "premiumv2"]);

/** True for Consumption and the v2 tiers. */
export function isFastTier(sku: string): boolean {
  return FAST_TIERS.has(sku.toLowerCase());
}

/** True when the instance is in the middle of an operation (`Updating`, `Activating`, `Creating`, ...). */
export function isInProgress(state: string): boolean {
  return state !== "" && !TERMINAL.has(state.toLowerCase());
}

function byTime(events: readonly ActivityEvent[]): ActivityEvent[] {
  return [...events].sort((a, b) => Date.parse(a.eventTimestamp) - Date.parse(b.eventTimestamp));
}

/** Write operations on the service itself (scale, update, VNet, hostnames) or its child resources. */
function isServiceOperation(e: ActivityEvent): boolean {
  return /microsoft\.apimanagement\/service/i.test(e.operationName) && !/\/read$/i.test(e.operationName);
}

/** The running operation: the newest Started/Accepted event whose correlation id has no end yet. */
export function runningOperation(events: readonly ActivityEvent[]): { start: ActivityEvent; correlationIds: string[] } | undefined {
  const ordered = byTime(events.filter(isServiceOperation));
  const ended = new Set(ordered.filter((e) => /^(succeeded|failed|canceled|cancelled)$/i.test(e.status)).map((e) => e.correlationId));
  const open = ordered.filter((e) => /^(started|accepted|in progress)$/i.test(e.status) && !ended.has(e.correlationId));
  const newest = open[open.length - 1];
  if (!newest) return undefined;
  const same = ordered.filter((e) => e.correlationId === newest.correlationId);
  const start = same[0] ?? newest;
  return { start, correlationIds: [newest.correlationId] };
}

/** The newest failed operation, with the start of its correlation chain. */
export function failedOperation(events: readonly ActivityEvent[]): { failed: ActivityEvent; start?: ActivityEvent } | undefined {
  const ordered = byTime(events.filter(isServiceOperation));
  const failures = ordered.filter((e) => /^failed$/i.test(e.status));
  // Several events of one failure share a correlation id; the one with the error text is the useful one.
  const pick = [...failures].reverse().find((e) => e.errorCode || e.errorMessage) ?? failures[failures.length - 1];
  if (!pick) return undefined;
  return { failed: pick, start: ordered.find((e) => e.correlationId === pick.correlationId) };
}

function platformSide(snapshot: InstanceSnapshot): boolean {
  const state = snapshot.health?.availabilityState.toLowerCase();
  return state === "degraded" || state === "unavailable";
}

function severityFor(minutes: number, t: ProvisioningTierThresholds): Severity | undefined {
  if (minutes >= t.criticalMinutes) return "critical";
  if (minutes >= t.warnMinutes) return "warning";
  return undefined;
}

function stuck(ctx: DetectContext, snapshot: InstanceSnapshot): Detection | undefined {
  const inst = snapshot.instance;
  if (!isInProgress(inst.provisioningState)) return undefined;
  const cfg = ctx.config.provisioning;
  const fast = isFastTier(String(inst.sku.name));
  const thresholds = fast ? cfg.fast : cfg.classic;
  const running = snapshot.activity ? runningOperation(snapshot.activity) : undefined;
  const memory = ctx.prior.instances.get(inst.id);
  const rememberedSince = memory && memory.provisioningState?.toLowerCase() === inst.provisioningState.toLowerCase() ? parseTime(memory.stateSince) : undefined;
  const activitySince = parseTime(running?.start.eventTimestamp);
  const since = activitySince ?? rememberedSince ?? ctx.now;
  const sinceSource = activitySince ? "activity-log" : rememberedSince ? "first-seen" : "now";
  const minutes = minutesBetween(since, ctx.now);
  const severity = severityFor(minutes, thresholds);
  if (!severity) return undefined;

  const platform = platformSide(snapshot);
  const supportCase = minutes >= cfg.supportCaseMinutes;
  const operation = running?.start.operationName;
  const correlationIds = running?.correlationIds ?? [];
  const timeRange = `${since.toISOString()} to ${ctx.now.toISOString()}`;
  const tierNote = fast
    ? `${inst.sku.name} normally finishes in minutes, so ${formatMinutes(minutes)} is well past routine.`
    : `${inst.sku.name} changes routinely take 30 to 60 minutes or more, but ${formatMinutes(minutes)} is past the ${formatMinutes(thresholds.warnMinutes)} apimbot allows.`;
  const parts = [
    `${inst.name} has been ${inst.provisioningState}${inst.targetProvisioningState ? ` (heading to ${inst.targetProvisioningState})` : ""} for ${formatMinutes(minutes)}${sinceSource === "activity-log" ? `, since ${operation ?? "an operation"} started` : sinceSource === "first-seen" ? ", counted from the first sweep that saw it" : ""}.`,
    tierNote,
  ];
  if (platform) parts.push(`Resource Health says ${snapshot.health?.availabilityState}: this is on the platform side, not your configuration.`);
  if (supportCase) parts.push("Past two hours, open a support case with the service name, correlation ids and time range in the evidence.");

  const variant = platform ? "platform" : supportCase ? "support-case" : undefined;
  return {
    id: fingerprint("provisioning-stuck", inst.id),
    kind: "provisioning-stuck",
    severity,
    resourceId: inst.id,
    ...instanceFields(inst),
    title: `${inst.name} stuck in ${inst.provisioningState} for ${formatMinutes(minutes)} (${inst.sku.name}, warns after ${formatMinutes(thresholds.warnMinutes)})`,
    summary: parts.join(" "),
    evidence: {
      provisioningState: inst.provisioningState,
      targetProvisioningState: inst.targetProvisioningState,
      sku: inst.sku.name,
      tierFamily: fast ? "fast" : "classic",
      since: since.toISOString(),
      sinceSource,
      minutes: Math.round(minutes),
      thresholds,
      operation: operation ?? null,
      correlationIds,
      caller: running?.start.caller ?? null,
      health: snapshot.health ?? null,
      supportCase: supportCase ? { serviceName: inst.name, resourceId: inst.id, correlationIds, timeRange } : null,
    },
    remediation: remediation("provisioning-stuck", variant, {
      instance: inst.name,
      resourceGroup: inst.resourceGroup,
      subscriptionId: inst.subscriptionId,
      operation,
      correlationIds: correlationIds.length > 0 ? correlationIds.join(", ") : undefined,
      timeRange,
    }),
    portalUrl: portalUrl(inst.id, platform ? "resourceHealth" : "activityLog"),
  };
}

function failed(ctx: DetectContext, snapshot: InstanceSnapshot): Detection | undefined {
  const inst = snapshot.instance;
  if (inst.provisioningState.toLowerCase() !== "failed") return undefined;
  const op = snapshot.activity ? failedOperation(snapshot.activity) : undefined;
  const platform = platformSide(snapshot);
  const errorCode = op?.failed.errorCode;
  const errorMessage = op?.failed.errorMessage;
  const correlationIds = op ? [op.failed.correlationId] : [];
  const parts = [
    `The last operation on ${inst.name} (${inst.sku.name}) failed${op ? `: ${op.failed.operationName} at ${op.failed.eventTimestamp}` : ""}.`,
    errorCode || errorMessage ? `Azure reported ${errorCode ?? "an error"}${errorMessage ? `: ${errorMessage}` : ""}.` : "The Activity Log did not say why (it was not read, or the event carries no message).",
  ];
  if (platform) parts.push(`Resource Health says ${snapshot.health?.availabilityState}: this is on the platform side, not your configuration.`);
  return {
    id: fingerprint("provisioning-failed", inst.id),
    kind: "provisioning-failed",
    severity: "critical",
    resourceId: inst.id,
    ...instanceFields(inst),
    cause: errorCode,
    title: `${inst.name} provisioning failed${errorCode ? ` with ${errorCode}` : ""} (${inst.sku.name})`,
    summary: parts.join(" "),
    evidence: {
      provisioningState: inst.provisioningState,
      sku: inst.sku.name,
      operation: op?.failed.operationName ?? null,
      startedAt: op?.start?.eventTimestamp ?? null,
      failedAt: op?.failed.eventTimestamp ?? null,
      errorCode: errorCode ?? null,
      errorMessage: errorMessage ?? null,
      correlationIds,
      health: snapshot.health ?? null,
    },
    remediation: remediation("provisioning-failed", platform ? "platform" : undefined, {
      instance: inst.name,
      resourceGroup: inst.resourceGroup,
      subscriptionId: inst.subscriptionId,
      operation: op?.failed.operationName,
      errorCode,
      correlationIds: correlationIds.join(", ") || undefined,
    }),
    portalUrl: portalUrl(inst.id, platform ? "resourceHealth" : "activityLog"),
  };
}

function detect(ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  for (const snapshot of ctx.estate.instances) {
    const d = stuck(ctx, snapshot) ?? failed(ctx, snapshot);
    if (d) out.push(d);
  }
  return out;
}

/** The provisioning detector. */
export const provisioningDetector: Detector = {
  id: "provisioning",
  kinds: ["provisioning-stuck", "provisioning-failed"],
  title: "Stuck or failed provisioning",
  description:
    "An instance whose `provisioningState` is not terminal (`Updating`, `Activating`, `Creating`, ...) is timed from the start of the running operation in the Activity Log, else from the first sweep that saw it in that state, else from now. Classic tiers (Developer, Basic, Standard, Premium, Isolated) warn and turn critical later than Consumption and the v2 tiers. Past the support threshold the remediation is a support case with service name, correlation ids and time range. An instance in `Failed` carries the failed operation's error code and message. Resource Health `Degraded`/`Unavailable` marks the problem as platform-side.",
  defaults: (c) => ({
    "provisioning.classic.warnMinutes": c.provisioning.classic.warnMinutes,
    "provisioning.classic.criticalMinutes": c.provisioning.classic.criticalMinutes,
    "provisioning.fast.warnMinutes": c.provisioning.fast.warnMinutes,
    "provisioning.fast.criticalMinutes": c.provisioning.fast.criticalMinutes,
    "provisioning.supportCaseMinutes": c.provisioning.supportCaseMinutes,
  }),
  notes: [
    "Microsoft Learn (\"Upgrade and scale\", \"Automatically scale\"): infrastructure changes such as custom domains, CA certificates, scaling, VNet, availability zones and added regions take 15 minutes or longer depending on tier and size, longer with more units or regions; one change runs at a time; the gateway keeps serving except on the Developer tier.",
    "Creating a classic instance is a long operation too: Microsoft's APIM lab (azure.github.io/apim-lab) says to expect about 45 to 75 minutes, and Microsoft's SDK guidance treats service creation as a 30+ minute operation. Hence a 60-minute warning and a 2-hour critical for classic tiers, and a support case past 2 hours.",
    "Microsoft Learn (\"v2 tiers overview\"): v2 instances deploy in minutes and apply certificate and hostname changes quickly; Consumption instances are provisioned on demand. Hence 15 and 45 minutes.",
  ],
  detect,
};
