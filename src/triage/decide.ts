/**
 * The notification decision, like Alertmanager's dedup stage: each finding is notified at most once per
 * sweep, and only with a reason a person would care about.
 */
import type { TriageConfig } from "./config";
import { formatDuration } from "./parse-duration";
import type { NotificationReason, Stage, TriageAlert } from "./stage";

function reasonFor(alert: TriageAlert, config: TriageConfig, now: Date): { reason: NotificationReason; note?: string } | undefined {
  const { finding, prior } = alert;
  const notifiedBefore = prior?.lastNotifiedAt !== undefined && prior.status !== "resolved";
  if (finding.change === "resolved") {
    // Only a finding someone was told about needs telling that it is over. This goes through a silence
    // too: it updates a card already posted instead of posting a new one, and nothing else would.
    return prior?.lastNotifiedAt !== undefined ? { reason: "resolved" } : undefined;
  }
  if (finding.status === "silenced" || finding.status === "snoozed") return undefined;
  if (finding.change === "new") return { reason: "first" };
  if (finding.change === "escalated") return { reason: "escalated", note: alert.note };
  const was = prior?.status;
  if (was === "silenced" || was === "snoozed") {
    return { reason: "mute-ended", note: was === "silenced" ? "the silence ended" : "the snooze ended" };
  }
  if (!notifiedBefore) return { reason: "first" };
  if (was !== undefined && was !== finding.status) return { reason: "status-changed", note: `${was} → ${finding.status}` };
  if (finding.status !== "firing") return undefined;
  const every = config.repeatIntervalMs[finding.severity];
  const since = now.getTime() - Date.parse(prior?.lastNotifiedAt ?? finding.firstSeen);
  if (every !== undefined && since >= every) return { reason: "repeat", note: `still firing after ${formatDuration(now.getTime() - Date.parse(finding.firstSeen))}` };
  return undefined;
}

/** The notification decision stage: sets `reason` (and a short `note`) on the alerts to notify. */
export function decide(config: TriageConfig, now: Date): Stage {
  return (alerts) =>
    alerts.map((alert) => {
      const decision = reasonFor(alert, config, now);
      if (!decision) return { ...alert, reason: undefined, note: undefined };
      return { ...alert, reason: decision.reason, note: decision.note ?? alert.note };
    });
}
