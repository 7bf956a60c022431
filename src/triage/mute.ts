/**
 * Applies acknowledgements, snoozes and silences: a held finding is kept, marked, and not notified.
 */
import type { Finding } from "../domain/finding";
import { statusFor, type Muter } from "./muter";
import type { Stage } from "./stage";

/** The mute stage. Resolved findings pass untouched: nothing holds back a resolution's status. */
export function mute(muter: Muter, now: Date): Stage {
  return (alerts) =>
    alerts.map((alert) => {
      if (alert.finding.status === "resolved") return alert;
      const held = muter.mutes(alert.finding, now);
      const finding: Finding = { ...alert.finding, status: statusFor(held) };
      delete finding.acknowledgedBy;
      delete finding.acknowledgedAt;
      delete finding.snoozedUntil;
      if (held?.kind === "ack") {
        finding.acknowledgedBy = held.by;
        finding.acknowledgedAt = held.at;
      } else if (held?.kind === "snooze") {
        finding.snoozedUntil = held.until;
      } else if (held?.kind === "silence") {
        finding.snoozedUntil = held.endsAt;
      }
      return { ...alert, finding, mutedBy: held };
    });
}
