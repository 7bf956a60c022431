/**
 * Acknowledgements, snoozes and silences answer one question, as Alertmanager's silencer and inhibitor
 * do: does this mute hold this finding right now?
 */
import { SEVERITY_RANK, type Finding, type FindingStatus, type Severity } from "../domain/finding";

interface MuteBase {
  /** Who set it: a display name or UPN, never a credential. */
  by: string;
  /** ISO time it was set. */
  at: string;
}

/** Someone owns the problem: holds until the finding resolves or its severity rises above `severity`. */
export interface Acknowledgement extends MuteBase {
  kind: "ack";
  findingId: string;
  /** Severity when acknowledged; a higher one breaks the acknowledgement. */
  severity: Severity;
  /** `firstSeen` of the incident acknowledged, so an ack never carries over to a later re-fire. */
  firstSeen: string;
}

/** Quiet for a while: holds until `until`, whatever happens to the finding meanwhile. */
export interface Snooze extends MuteBase {
  kind: "snooze";
  findingId: string;
  until: string;
}

/** A maintenance window: holds every finding on an instance and/or API until `endsAt`. */
export interface Silence extends MuteBase {
  kind: "silence";
  id: string;
  /** APIM service name; compared case-insensitively. */
  instance?: string;
  /** API id; compared case-insensitively. */
  api?: string;
  endsAt: string;
  reason: string;
}

/** Anything that can hold back a finding's notifications. */
export type Mute = Acknowledgement | Snooze | Silence;

/** Every mute known at the start of a sweep. Acks and snoozes are keyed by finding id. */
export interface MuteSet {
  acks: ReadonlyMap<string, Acknowledgement>;
  snoozes: ReadonlyMap<string, Snooze>;
  silences: readonly Silence[];
}

/** The one "mutes?" question shared by every kind of mute. */
export interface Muter {
  mutes(finding: Finding, now: Date): Mute | undefined;
}

/** No mutes at all. */
export function emptyMutes(): MuteSet {
  return { acks: new Map(), snoozes: new Map(), silences: [] };
}

/** The status a finding shows while held by a mute of this kind. */
export function statusFor(mute: Mute | undefined): FindingStatus {
  if (mute === undefined) return "firing";
  return mute.kind === "ack" ? "acknowledged" : mute.kind === "snooze" ? "snoozed" : "silenced";
}

/**
 * True while the acknowledgement still holds. An ack of an earlier incident (a re-fire after a
 * resolution) or one outranked by the current severity no longer counts.
 */
export function ackHolds(ack: Acknowledgement, finding: Pick<Finding, "severity" | "firstSeen" | "status">): boolean {
  if (finding.status === "resolved") return false;
  // Compared by incident rather than by clock, so a bot and a sweep whose clocks differ still agree.
  if (ack.firstSeen !== finding.firstSeen) return false;
  return SEVERITY_RANK[finding.severity] <= SEVERITY_RANK[ack.severity];
}

/** True while the snooze lasts. */
export function snoozeHolds(snooze: Snooze, now: Date): boolean {
  return now.getTime() < Date.parse(snooze.until);
}

/** True while the silence is in force and names this finding's instance and/or API. */
export function silenceMatches(silence: Silence, finding: Pick<Finding, "instance" | "api">, now: Date): boolean {
  // Only the end is checked: a silence starts when it is set, and a clock running behind must not delay it.
  if (now.getTime() >= Date.parse(silence.endsAt)) return false;
  // A silence always names at least one of the two (createSilence refuses the rest); check defensively.
  if (!silence.instance && !silence.api) return false;
  if (silence.instance && silence.instance.toLowerCase() !== finding.instance.toLowerCase()) return false;
  if (silence.api && silence.api.toLowerCase() !== (finding.api ?? "").toLowerCase()) return false;
  return true;
}

/**
 * One muter over a whole set. When several mutes apply, the one that holds back the most wins:
 * a silence over a snooze over an acknowledgement.
 */
export function muterFor(set: MuteSet): Muter {
  return {
    mutes(finding, now) {
      const silence = set.silences.find((s) => silenceMatches(s, finding, now));
      if (silence) return silence;
      const snooze = set.snoozes.get(finding.id);
      if (snooze && snoozeHolds(snooze, now)) return snooze;
      const ack = set.acks.get(finding.id);
      if (ack && ackHolds(ack, finding)) return ack;
      return undefined;
    },
  };
}
