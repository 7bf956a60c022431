/**
 * What changed since the last sweep: new, ongoing, escalated or resolved. A finding is only resolved
 * when its resource was evaluated this sweep; otherwise it is carried over as it was.
 */
import { SEVERITY_RANK, type Finding, type FindingKind } from "../domain/finding";
import type { PriorState } from "../domain/prior";
import type { Stage, TriageAlert } from "./stage";

/** What the transitions stage needs. */
export interface TransitionDeps {
  prior: PriorState;
  priorDetails: ReadonlyMap<string, Finding>;
  /** True when this sweep evaluated findings of `kind` on that instance. */
  covered: (kind: FindingKind, instanceId: string) => boolean;
  now: Date;
}

/**
 * The transitions stage. Input: this sweep's detections. Output: those, with change and times set,
 * followed by the open prior findings that were not detected (resolved or carried over). Prior findings
 * without stored details cannot be shown and are left to the caller.
 */
export function transitions(deps: TransitionDeps): Stage {
  const nowIso = deps.now.toISOString();
  return (alerts) => {
    const out: TriageAlert[] = [];
    const seen = new Set<string>();
    for (const alert of alerts) {
      seen.add(alert.finding.id);
      const prior = deps.prior.findings.get(alert.finding.id);
      const open = prior !== undefined && prior.status !== "resolved";
      const escalated = open && SEVERITY_RANK[alert.finding.severity] > SEVERITY_RANK[prior.severity];
      const finding: Finding = {
        ...alert.finding,
        status: "firing",
        change: !open ? "new" : escalated ? "escalated" : "ongoing",
        firstSeen: open ? prior.firstSeen : nowIso,
        lastSeen: nowIso,
      };
      delete finding.resolvedAt;
      out.push({ ...alert, finding, prior, detected: true, carried: false, escalation: escalated ? "severity" : undefined });
    }
    const gone = [...deps.prior.findings.values()]
      .filter((p) => p.status !== "resolved" && !seen.has(p.id))
      .sort((a, b) => a.id.localeCompare(b.id));
    for (const prior of gone) {
      const details = deps.priorDetails.get(prior.id);
      if (!details) continue;
      if (deps.covered(prior.kind, details.instanceId)) {
        const finding: Finding = { ...details, status: "resolved", change: "resolved", severity: prior.severity, firstSeen: prior.firstSeen, lastSeen: prior.lastSeen, resolvedAt: nowIso };
        out.push({ finding, prior, detected: false, carried: false });
      } else {
        // Not looked at this sweep: what we knew still stands, including when it was last seen.
        const finding: Finding = { ...details, status: prior.status, change: "ongoing", severity: prior.severity, firstSeen: prior.firstSeen, lastSeen: prior.lastSeen };
        out.push({ finding, prior, detected: false, carried: true });
      }
    }
    return out;
  };
}
