/**
 * Every detector, and the one function that runs them all with each detector isolated from the others.
 */
import type { Detection } from "../domain/finding";
import { authBurstDetector } from "./auth-burst";
import { certificatesDetector } from "./certificates";
import { collectionDetector } from "./collection";
import { keyVaultDetector } from "./keyvault";
import { provisioningDetector } from "./provisioning";
import { spike5xxDetector } from "./spike-5xx";
import { subscriptionsDetector } from "./subscriptions";
import type { DetectContext, Detector } from "./types";

/** All detectors, in the order their findings are listed. */
export const DETECTORS: readonly Detector[] = [
  provisioningDetector,
  spike5xxDetector,
  authBurstDetector,
  subscriptionsDetector,
  certificatesDetector,
  keyVaultDetector,
  collectionDetector,
];

/** A detector that threw: its findings are missing from this sweep, and the caller should log this. */
export interface DetectorError {
  detector: string;
  message: string;
}

/** What one run of every detector produced. */
export interface DetectResult {
  detections: Detection[];
  /** Detectors that threw. Their kinds produced nothing this sweep; triage should not resolve them. */
  errors: DetectorError[];
}

/**
 * Runs every detector. A detector that throws yields no detections and one entry in `errors`, so a bug
 * in one never hides the findings of the others. If two detectors emit the same id, the first wins.
 */
export function detectAll(ctx: DetectContext, detectors: readonly Detector[] = DETECTORS): DetectResult {
  const detections: Detection[] = [];
  const errors: DetectorError[] = [];
  const seen = new Set<string>();
  for (const detector of detectors) {
    let found: Detection[];
    try {
      found = detector.detect(ctx);
    } catch (err) {
      errors.push({ detector: detector.id, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    for (const d of found) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      detections.push(d);
    }
  }
  return { detections, errors };
}
