/**
 * Escalation by age: a finding left firing with nobody acknowledging it gets escalated once per incident.
 */
import type { TriageConfig } from "./config";
import { formatDuration } from "./parse-duration";
import type { Stage } from "./stage";

/** The escalation stage. Only findings firing and unmuted, and not already escalated this incident, qualify. */
export function escalate(config: TriageConfig, now: Date): Stage {
  return (alerts) =>
    alerts.map((alert) => {
      const { finding, prior } = alert;
      if (finding.status !== "firing" || finding.change === "new" || finding.change === "resolved") return alert;
      if (prior?.ageEscalatedAt !== undefined) return alert;
      const limit = config.escalateAfterMs[finding.severity];
      if (limit === undefined) return alert;
      // Time spent acknowledged, snoozed or silenced does not count: the clock starts when it last became loud.
      const loudSince = prior?.status === "firing" ? prior.firingSince ?? finding.firstSeen : now.toISOString();
      const age = now.getTime() - Date.parse(loudSince);
      if (age < limit) return alert;
      const note = `firing unacknowledged for ${formatDuration(age)}`;
      if (finding.change === "escalated") return { ...alert, ageEscalated: true, note };
      return { ...alert, finding: { ...finding, change: "escalated" }, escalation: "age", ageEscalated: true, note };
    });
}
