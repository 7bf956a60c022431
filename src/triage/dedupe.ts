/**
 * Two detections with the same id in one sweep (two detectors, or one reading two overlapping windows)
 * become one finding.
 */
import { SEVERITY_RANK, type Detection } from "../domain/finding";
import type { Stage, TriageAlert } from "./stage";

function union<T>(first: readonly T[], second: readonly T[]): T[] {
  const seen = new Set(first.map((x) => JSON.stringify(x)));
  const out = [...first];
  for (const item of second) {
    const key = JSON.stringify(item);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

/**
 * Merges two detections of one finding. The more severe one (the earlier on a tie) keeps its text and
 * scalar evidence; evidence only the other has is added, and lists present in both are united.
 */
export function mergeDetections(a: Detection, b: Detection): Detection {
  const [winner, other] = SEVERITY_RANK[b.severity] > SEVERITY_RANK[a.severity] ? [b, a] : [a, b];
  const evidence: Record<string, unknown> = { ...other.evidence, ...winner.evidence };
  for (const [key, value] of Object.entries(winner.evidence)) {
    const theirs = other.evidence[key];
    if (Array.isArray(value) && Array.isArray(theirs)) evidence[key] = union(value, theirs);
  }
  const merged: Detection = { ...winner, evidence, remediation: union(winner.remediation, other.remediation) };
  if (!merged.series && other.series) merged.series = other.series;
  if (!merged.portalUrl && other.portalUrl) merged.portalUrl = other.portalUrl;
  if (!merged.cause && other.cause) merged.cause = other.cause;
  if (winner.memo || other.memo) merged.memo = { ...other.memo, ...winner.memo };
  return merged;
}

/** The dedupe stage: one alert per id, in the order ids were first seen. */
export function dedupe(): Stage {
  return (alerts) => {
    const byId = new Map<string, TriageAlert>();
    for (const alert of alerts) {
      const existing = byId.get(alert.finding.id);
      if (!existing) {
        byId.set(alert.finding.id, alert);
        continue;
      }
      const merged = mergeDetections(existing.finding, alert.finding);
      byId.set(alert.finding.id, { ...existing, finding: { ...existing.finding, ...merged } });
    }
    return [...byId.values()];
  };
}
