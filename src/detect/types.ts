/**
 * The shape every detector shares. A detector is pure: it reads the context and returns detections.
 */
import type { Detection, FindingKind } from "../domain/finding";
import type { PriorState } from "../domain/prior";
import type { EstateSnapshot } from "../domain/snapshot";
import type { InstanceTelemetry } from "../domain/telemetry";
import type { DetectConfig } from "./config";

/** Everything a detector may look at. Time is passed in; nothing reads the clock. */
export interface DetectContext {
  estate: EstateSnapshot;
  /** Telemetry by instance ARM id (as ARM spells it; look up with {@link telemetryFor}). */
  telemetry: ReadonlyMap<string, InstanceTelemetry>;
  prior: PriorState;
  now: Date;
  config: DetectConfig;
}

/** A threshold value as the docs show it. */
export type DefaultValue = number | string | boolean | number[];

/** One catalog entry: a small pure unit with a stable id, the kinds it emits, and its documented defaults. */
export interface Detector {
  /** Stable id, kebab-case, e.g. `spike-5xx`. */
  id: string;
  kinds: FindingKind[];
  title: string;
  /** What it looks at and how it decides, for docs/detectors.md. */
  description: string;
  /** Each threshold by its config path (e.g. `spike5xx.fireRate`), with the shipped default. */
  defaults: (config: DetectConfig) => Record<string, DefaultValue>;
  /** Facts behind the thresholds, with their sources, for the docs. */
  notes?: string[];
  detect(ctx: DetectContext): Detection[];
}

/** Telemetry for an instance, matching ARM ids case-insensitively. */
export function telemetryFor(ctx: DetectContext, instanceId: string): InstanceTelemetry | undefined {
  const exact = ctx.telemetry.get(instanceId);
  if (exact) return exact;
  const wanted = instanceId.toLowerCase();
  for (const [id, t] of ctx.telemetry) if (id.toLowerCase() === wanted) return t;
  return undefined;
}
