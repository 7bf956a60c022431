/**
 * One sweep's triage: detections and what was remembered in; findings, notifications and what to
 * remember out. Pure: time comes in with the input.
 */
import type { Detection, Finding, FindingKind } from "../domain/finding";
import type { PriorFinding, PriorState } from "../domain/prior";
import type { TriageConfig } from "./config";
import { decide } from "./decide";
import { dedupe } from "./dedupe";
import { escalate } from "./escalate";
import { groupByInstance, type NotificationGroup } from "./group";
import { mute } from "./mute";
import { ackHolds, muterFor, snoozeHolds, type MuteSet } from "./muter";
import { runStages, type NotificationReason, type TriageAlert } from "./stage";
import { transitions } from "./transitions";

/** Everything one triage run needs. */
export interface TriageInput {
  detections: Detection[];
  prior: PriorState;
  /** The full last-known finding for each prior id; needed to show resolved and carried-over ones. */
  priorDetails: ReadonlyMap<string, Finding>;
  mutes: MuteSet;
  now: Date;
  /**
   * True when this sweep evaluated findings of `kind` on that instance. An open finding that was not
   * detected is resolved only when this says so; otherwise it is carried over unchanged.
   */
  covered: (kind: FindingKind, instanceId: string) => boolean;
  config: TriageConfig;
}

/** A finding to tell people about, and why. */
export interface Notification {
  finding: Finding;
  reason: NotificationReason;
  /** A few words for the card on why, e.g. "firing unacknowledged for 4h 10m". */
  note?: string;
}

/** A mute that no longer holds and may be deleted from the store. */
export interface ExpiredMute {
  kind: "ack" | "snooze";
  findingId: string;
}

/** What one triage run decided. */
export interface TriageResult {
  /** When the sweep ran (the input's `now`), ISO 8601. */
  sweptAt: string;
  /** Every open finding plus those resolved this sweep. */
  findings: Finding[];
  notifications: Notification[];
  /** The notifications by instance, for one card per instance per sweep. */
  groups: NotificationGroup[];
  /** What to remember for the next sweep: every open finding and those resolved this sweep. */
  nextFindings: PriorFinding[];
  resolvedIds: string[];
  /** Acks that resolution or escalation ended, and snoozes past their time. */
  expiredMutes: ExpiredMute[];
}

function placeholder(detection: Detection, nowIso: string): TriageAlert {
  return { finding: { ...detection, status: "firing", change: "new", firstSeen: nowIso, lastSeen: nowIso }, detected: true, carried: false };
}

function remember(alert: TriageAlert, nowIso: string): PriorFinding {
  const { finding, prior } = alert;
  const sameIncident = prior !== undefined && finding.change !== "new";
  const next: PriorFinding = {
    id: finding.id,
    kind: finding.kind,
    severity: finding.severity,
    status: finding.status,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
  };
  const memo = alert.detected ? finding.memo ?? prior?.memo : prior?.memo;
  if (memo !== undefined) next.memo = memo;
  const notifiedAt = alert.reason !== undefined ? nowIso : sameIncident ? prior.lastNotifiedAt : undefined;
  if (notifiedAt !== undefined) next.lastNotifiedAt = notifiedAt;
  if (finding.status === "firing") next.firingSince = sameIncident && prior.status === "firing" ? prior.firingSince ?? prior.firstSeen : nowIso;
  const escalatedAt = alert.ageEscalated ? nowIso : sameIncident ? prior.ageEscalatedAt : undefined;
  if (escalatedAt !== undefined) next.ageEscalatedAt = escalatedAt;
  return next;
}

/** Runs the triage stages over one sweep. */
export function triage(input: TriageInput): TriageResult {
  const nowIso = input.now.toISOString();
  const alerts = runStages(
    input.detections.map((d) => placeholder(d, nowIso)),
    [
      dedupe(),
      transitions({ prior: input.prior, priorDetails: input.priorDetails, covered: input.covered, now: input.now }),
      mute(muterFor(input.mutes), input.now),
      escalate(input.config, input.now),
      decide(input.config, input.now),
    ],
  );

  const findings = alerts.map((a) => a.finding);
  const notifications: Notification[] = alerts
    .filter((a) => a.reason !== undefined)
    .map((a) => (a.note !== undefined ? { finding: a.finding, reason: a.reason as NotificationReason, note: a.note } : { finding: a.finding, reason: a.reason as NotificationReason }));
  const nextFindings = alerts.map((a) => remember(a, nowIso));

  // Open prior findings with no stored details cannot be shown or resolved safely: keep remembering them.
  const handled = new Set(findings.map((f) => f.id));
  const undetailed = new Set<string>();
  for (const prior of input.prior.findings.values()) {
    if (prior.status !== "resolved" && !handled.has(prior.id)) {
      nextFindings.push({ ...prior });
      undetailed.add(prior.id);
    }
  }

  const open = new Map(findings.filter((f) => f.status !== "resolved").map((f) => [f.id, f]));
  const expiredMutes: ExpiredMute[] = [];
  for (const ack of input.mutes.acks.values()) {
    if (undetailed.has(ack.findingId)) continue;
    const finding = open.get(ack.findingId);
    if (!finding || !ackHolds(ack, finding)) expiredMutes.push({ kind: "ack", findingId: ack.findingId });
  }
  for (const snooze of input.mutes.snoozes.values()) {
    if (!snoozeHolds(snooze, input.now)) expiredMutes.push({ kind: "snooze", findingId: snooze.findingId });
  }

  const groups = groupByInstance(notifications);
  const byOrder = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
  return {
    sweptAt: nowIso,
    findings,
    // Instance by instance, most severe first: the order the cards will be built in.
    notifications: groups.flatMap((g) => g.notifications),
    groups,
    nextFindings: nextFindings.sort(byOrder),
    resolvedIds: findings.filter((f) => f.change === "resolved").map((f) => f.id).sort(),
    expiredMutes,
  };
}
