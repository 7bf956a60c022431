/**
 * How triage paces reminders and escalations. Defaults are written down here and in
 * docs/alert-lifecycle.md.
 */
import type { Severity } from "../domain/finding";

/** Timing rules for triage, per severity. A severity left out never escalates or repeats. */
export interface TriageConfig {
  /**
   * How long a finding may fire unacknowledged (and unmuted) before triage escalates it once: a
   * notification with reason `escalated` and `change: escalated`. Measured from `firstSeen`.
   */
  escalateAfterMs: Partial<Record<Severity, number>>;
  /** How often a finding still firing unacknowledged is notified again (reason `repeat`). */
  repeatIntervalMs: Partial<Record<Severity, number>>;
}

const HOUR = 3_600_000;

/** Critical: escalate after 1 h, remind every 4 h. Warning: escalate after 4 h, remind daily. Info: neither. */
export const DEFAULT_TRIAGE_CONFIG: TriageConfig = {
  escalateAfterMs: { critical: 1 * HOUR, warning: 4 * HOUR },
  repeatIntervalMs: { critical: 4 * HOUR, warning: 24 * HOUR },
};
