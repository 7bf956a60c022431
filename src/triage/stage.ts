/**
 * The shape every triage stage shares: alerts in, alerts out. Stages are built with exactly what they
 * need, so no stage reaches into a shared bag of values.
 */
import type { Finding } from "../domain/finding";
import type { PriorFinding } from "../domain/prior";
import type { Mute } from "./muter";

/** Why a notification was let through. */
export type NotificationReason = "first" | "escalated" | "resolved" | "status-changed" | "mute-ended" | "repeat";

/** One finding on its way through the stages. Stages return new objects and never mutate their input. */
export interface TriageAlert {
  finding: Finding;
  /** What the last sweep remembered about it, if anything. */
  prior?: PriorFinding;
  /** Reported by a detector this sweep. False for findings carried over or resolved. */
  detected: boolean;
  /** Not evaluated this sweep (slow cadence or a failed read), so carried over unchanged. */
  carried: boolean;
  /** The mute holding it back, if one does. */
  mutedBy?: Mute;
  /** Why `change` is `escalated`: the detector raised the severity, or it fired unacknowledged too long. */
  escalation?: "severity" | "age";
  /** Escalated this sweep for its age; remembered so that it happens once per incident. */
  ageEscalated?: boolean;
  /** Set by the notification decision when a notification goes out. */
  reason?: NotificationReason;
  /** A few words for people on why it was notified, e.g. "firing unacknowledged for 4h 10m". */
  note?: string;
}

/** A triage stage. */
export type Stage = (alerts: readonly TriageAlert[]) => TriageAlert[];

/** Runs stages in order, each on the previous one's output. */
export function runStages(alerts: readonly TriageAlert[], stages: readonly Stage[]): TriageAlert[] {
  let current = [...alerts];
  for (const stage of stages) current = stage(current);
  return current;
}
