/**
 * The firing rule shared by the traffic detectors: a rate well above the API's own baseline, with a
 * volume floor, and hysteresis once firing.
 */
import type { PriorFinding } from "../domain/prior";
import type { RateConfig } from "./config";
import type { RateWindow } from "./traffic";

/** Whether a rate window fires, and the baseline it was judged against. */
export interface RateVerdict {
  fire: boolean;
  /** The baseline rate used, when there was enough baseline traffic (or one remembered from firing). */
  baselineRate?: number;
  /** Why it fires or not, in words, for evidence. */
  reason: string;
}

function remembered(open: PriorFinding | undefined): number | undefined {
  const v = open?.memo?.baselineRate;
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/**
 * A new finding needs volume, failures, the absolute floor and the ratio over baseline. An open one
 * stays open until the rate falls below `resolveRate`; its baseline is the one remembered when it
 * started, so the spike itself never becomes the baseline.
 */
export function rateVerdict(window: RateWindow, cfg: RateConfig, open: PriorFinding | undefined): RateVerdict {
  const { recent, baseline } = window;
  const baselineRate = remembered(open) ?? (baseline.total >= cfg.minBaselineRequests ? baseline.rate : undefined);
  if (open) {
    const fire = recent.failures > 0 && recent.rate >= cfg.resolveRate;
    return { fire, baselineRate, reason: fire ? "still above the resolve threshold" : "fell below the resolve threshold" };
  }
  if (recent.total < cfg.minRequests) return { fire: false, baselineRate, reason: "too few requests" };
  if (recent.failures < cfg.minFailures) return { fire: false, baselineRate, reason: "too few failures" };
  if (recent.rate < cfg.fireRate) return { fire: false, baselineRate, reason: "below the absolute floor" };
  if (baselineRate !== undefined && recent.rate < cfg.baselineRatio * baselineRate && recent.rate < cfg.overwhelmingRate) {
    return { fire: false, baselineRate, reason: "not far enough above the baseline" };
  }
  if (baselineRate === undefined) return { fire: true, baselineRate, reason: "above the floor; too little baseline traffic to compare" };
  if (recent.rate < cfg.baselineRatio * baselineRate) return { fire: true, baselineRate, reason: "so high that the baseline does not matter" };
  return { fire: true, baselineRate, reason: "above the floor and the baseline" };
}
