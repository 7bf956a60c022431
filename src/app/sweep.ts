import type { CollectPlan, CollectResult } from "../collect";
import { detectAll, DETECTORS } from "../detect/catalog";
import type { DetectConfig } from "../detect/config";
import type { Finding, FindingKind } from "../domain/finding";
import type { InstanceMemory } from "../domain/prior";
import type { EstateSnapshot, ServiceInstance } from "../domain/snapshot";
import type { InstanceTelemetry } from "../domain/telemetry";
import type { DeliveryReport } from "../notify/delivery";
import { triage, updateInstanceMemory, type TriageConfig } from "../triage";
import type { AppDeps } from "./app-deps";
import { coverageOf } from "./coverage";

/** Window of metrics a sweep reads: enough for a baseline before the recent minutes. */
export const TELEMETRY_WINDOW_MINUTES = 120;
/** Metrics grain. */
export const INTERVAL_MINUTES = 5;
/**
 * Configuration (APIs, policies, named values, ...) costs a dozen calls or more per instance, so sweeps
 * read it at most daily; the weekly hygiene report reads it in full anyway.
 */
export const CONFIG_REFRESH_MINUTES = 24 * 60;
/**
 * At most this many instances have their configuration read in one sweep (about 1,000 ARM calls, some
 * 40 s under ARM's 25 calls a second), so a large estate's daily refresh spreads over several sweeps
 * instead of stretching one past the 5-minute cadence.
 */
export const CONFIG_READS_PER_SWEEP = 25;

/** How much metrics history a sweep reads, and at what grain. */
export interface TelemetryWindow {
  windowMinutes: number;
  intervalMinutes: number;
}

/** One instance as a sweep saw it, for people: tier, state, size and the last 15 minutes of traffic. */
export interface InstanceSummary {
  instance: string;
  sku: string;
  provisioningState: string;
  /** Counts when this sweep read the configuration and contracts. */
  apis?: number;
  subscriptions?: number;
  requests15m: number;
  rate5xx: number;
  rate401: number;
  readFailures: number;
}

/** Summaries of the instances read, from the snapshot and the telemetry. */
export function summarize(estate: EstateSnapshot, telemetry: ReadonlyMap<string, InstanceTelemetry>, now: Date): InstanceSummary[] {
  const since = now.getTime() - 15 * 60_000;
  const byId = new Map([...telemetry].map(([id, t]) => [id.toLowerCase(), t]));
  return estate.instances.map((snap) => {
    const rows = (byId.get(snap.instance.id.toLowerCase())?.requests ?? []).filter((r) => Date.parse(r.time) >= since);
    const sum = (pick: (r: (typeof rows)[number]) => boolean) => rows.filter(pick).reduce((n, r) => n + r.count, 0);
    const total = sum(() => true);
    return {
      instance: snap.instance.name,
      sku: snap.instance.sku.name,
      provisioningState: snap.instance.provisioningState,
      apis: snap.config?.apis.filter((a) => a.isCurrent).length,
      subscriptions: snap.subscriptions?.length,
      requests15m: total,
      rate5xx: total > 0 ? sum((r) => r.gatewayResponseCodeCategory === "5xx") / total : 0,
      rate401: total > 0 ? sum((r) => r.gatewayResponseCode === "401") / total : 0,
      readFailures: snap.failures.length,
    };
  });
}

/** What one sweep did. */
export interface SweepOutcome {
  sweptAt: string;
  /** Every open finding plus those this sweep resolved (CONTRACT.md `sweep --json`). */
  findings: Finding[];
  /** Azure calls by API, plus `retries` and `throttled`. */
  stats: Record<string, number>;
  /** When each instance was last read successfully. */
  instances: InstanceMemory[];
  collectMs: number;
  wallMs: number;
  /** Instances listed this sweep. */
  instanceCount: number;
  /** Each instance read, for people. */
  summary: InstanceSummary[];
  /** True when not a single instance or subscription could be read. */
  nothingRead: boolean;
  delivery?: DeliveryReport;
  detectorErrors: { detector: string; message: string }[];
}

export interface SweepOptions {
  /** Post cards to the conversations routing selects. */
  post: boolean;
  /** Metrics window and grain; default {@link TELEMETRY_WINDOW_MINUTES} and {@link INTERVAL_MINUTES}. */
  telemetry?: TelemetryWindow;
  detectConfig: DetectConfig;
  triageConfig: TriageConfig;
}

function memoryOf(memory: ReadonlyMap<string, InstanceMemory>): (id: string) => InstanceMemory | undefined {
  const byLower = new Map([...memory.values()].map((m) => [m.instanceId.toLowerCase(), m]));
  return (id) => byLower.get(id.toLowerCase());
}

/** Builds the collect plan: slow-cadence parts are read only when due. */
export function sweepPlan(
  memory: ReadonlyMap<string, InstanceMemory>,
  now: Date,
  refreshMinutes: number,
  telemetry: TelemetryWindow = { windowMinutes: TELEMETRY_WINDOW_MINUTES, intervalMinutes: INTERVAL_MINUTES },
): CollectPlan {
  const lookup = memoryOf(memory);
  const older = (readAt: string | undefined, minutes: number): boolean => readAt === undefined || now.getTime() - Date.parse(readAt) >= minutes * 60_000;
  const due = (instance: ServiceInstance): boolean => older(lookup(instance.id)?.contractsReadAt, refreshMinutes);
  let configBudget = CONFIG_READS_PER_SWEEP;
  const configDue = (instance: ServiceInstance): boolean => {
    if (configBudget <= 0 || !older(lookup(instance.id)?.configReadAt, Math.max(refreshMinutes, CONFIG_REFRESH_MINUTES))) return false;
    configBudget--;
    return true;
  };
  const known = new Map<string, NonNullable<InstanceMemory["logDestinations"]>>();
  for (const m of memory.values()) if (m.logDestinations) known.set(m.instanceId, m.logDestinations);
  return {
    readConfig: configDue,
    readSubscriptions: due,
    readLogDestinations: (instance) => due(instance) || !known.has(instance.id),
    knownLogDestinations: known,
    telemetryWindowMinutes: telemetry.windowMinutes,
    intervalMinutes: telemetry.intervalMinutes,
    readLogs: true,
  };
}

/** One sweep: collect → detect → triage → save → (post). */
export async function runSweep(deps: AppDeps, options: SweepOptions): Promise<SweepOutcome> {
  const started = performance.now();
  const now = deps.clock.now();
  const loaded = await deps.alerts.loadPrior();
  deps.log.debug("state loaded", { findings: loaded.prior.findings.size, instances: loaded.prior.instances.size });

  const plan = sweepPlan(loaded.prior.instances, now, deps.settings.contractsRefreshMinutes, options.telemetry);
  const collected: CollectResult = await deps.collector.collect(plan);
  const { estate, telemetry } = collected;

  const detected = detectAll({ estate, telemetry, prior: loaded.prior, now, config: options.detectConfig });
  const failedKinds = new Set<FindingKind>();
  for (const error of detected.errors) {
    deps.log.error(`detector ${error.detector} failed; its findings are carried over unchanged`, { reason: error.message });
    for (const kind of DETECTORS.find((d) => d.id === error.detector)?.kinds ?? []) failedKinds.add(kind);
  }

  const result = triage({
    detections: detected.detections,
    prior: loaded.prior,
    priorDetails: loaded.details,
    mutes: loaded.mutes,
    now,
    covered: coverageOf(estate, telemetry, failedKinds),
    config: options.triageConfig,
  });
  const memory = updateInstanceMemory(loaded.prior.instances, estate, now);
  await deps.alerts.saveSweep(result, memory);

  let delivery: DeliveryReport | undefined;
  if (options.post) {
    const endpoint = await deps.endpoint();
    delivery = await endpoint.delivery.deliver(result.findings, result.notifications);
  }
  const nothingRead = estate.instances.length === 0 && estate.failures.length > 0;
  const outcome: SweepOutcome = {
    sweptAt: now.toISOString(),
    findings: result.findings,
    stats: collected.stats,
    instances: memory,
    collectMs: collected.wallMs,
    wallMs: Math.round(performance.now() - started),
    instanceCount: estate.instances.length,
    summary: summarize(estate, telemetry, now),
    nothingRead,
    delivery,
    detectorErrors: detected.errors,
  };
  deps.log.info("sweep completed", {
    instances: outcome.instanceCount,
    open: result.findings.filter((f) => f.status !== "resolved").length,
    resolved: result.resolvedIds.length,
    posted: delivery?.posted.length ?? 0,
    updated: delivery?.updated.length ?? 0,
    pending: delivery?.pending.length ?? 0,
    wallMs: outcome.wallMs,
  });
  return outcome;
}
