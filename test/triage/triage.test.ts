import { describe, expect, it } from "vitest";
import { fingerprint } from "../../src/domain/fingerprint";
import type { Acknowledgement, Snooze } from "../../src/triage";
import { createSilence, emptyMutes } from "../../src/triage";
import { authBurst, expiring, ORDERS_ID, PAY_ID, reasons, spike, Sweeper } from "./fixtures";

describe("transitions", () => {
  it("takes a spike from new to ongoing to escalated to resolved, keeping firstSeen", () => {
    const s = new Sweeper();
    const first = s.sweep("2026-03-10T09:05:00Z", [spike("warning")]);
    expect(first.findings).toHaveLength(1);
    expect(first.findings[0]).toMatchObject({ change: "new", status: "firing", firstSeen: "2026-03-10T09:05:00.000Z", lastSeen: "2026-03-10T09:05:00.000Z" });
    expect(first.notifications.map((n) => n.reason)).toEqual(["first"]);

    const second = s.sweep("2026-03-10T09:10:00Z", [spike("warning")]);
    expect(second.findings[0]).toMatchObject({ change: "ongoing", firstSeen: "2026-03-10T09:05:00.000Z", lastSeen: "2026-03-10T09:10:00.000Z" });
    expect(second.notifications).toEqual([]);

    const third = s.sweep("2026-03-10T09:15:00Z", [spike("critical", 0.6)]);
    expect(third.findings[0]).toMatchObject({ change: "escalated", severity: "critical", firstSeen: "2026-03-10T09:05:00.000Z" });
    expect(third.notifications.map((n) => n.reason)).toEqual(["escalated"]);
    expect(third.findings[0]?.title).toContain("60%");

    const fourth = s.sweep("2026-03-10T09:20:00Z", []);
    expect(fourth.findings[0]).toMatchObject({ change: "resolved", status: "resolved", lastSeen: "2026-03-10T09:15:00.000Z", resolvedAt: "2026-03-10T09:20:00.000Z" });
    expect(fourth.resolvedIds).toEqual([spike().id]);
    expect(fourth.notifications.map((n) => n.reason)).toEqual(["resolved"]);

    // Gone for good: the next sweep neither lists it nor says anything.
    const fifth = s.sweep("2026-03-10T09:25:00Z", []);
    expect(fifth.findings).toEqual([]);
    expect(fifth.notifications).toEqual([]);

    // Back again later: a new incident with a fresh firstSeen.
    const again = s.sweep("2026-03-10T11:00:00Z", [spike("warning")]);
    expect(again.findings[0]).toMatchObject({ change: "new", firstSeen: "2026-03-10T11:00:00.000Z" });
    expect(again.notifications.map((n) => n.reason)).toEqual(["first"]);
  });

  it("reports nothing new when the same sweep runs twice", () => {
    const s = new Sweeper();
    const detections = [spike(), authBurst(), expiring()];
    const first = s.sweep("2026-03-10T09:05:00Z", detections);
    expect(first.notifications).toHaveLength(3);
    const second = s.sweep("2026-03-10T09:05:30Z", detections);
    expect(second.notifications).toEqual([]);
    expect(second.findings.map((f) => f.change)).toEqual(["ongoing", "ongoing", "ongoing"]);
    expect(second.findings.map((f) => f.id).sort()).toEqual(first.findings.map((f) => f.id).sort());
  });

  it("carries over findings whose resource was not evaluated, and resolves them once it is", () => {
    const s = new Sweeper();
    s.sweep("2026-03-10T09:00:00Z", [spike(), expiring()]);
    // Contracts are read hourly: the 09:05 sweep did not look at them.
    s.covered = (kind) => kind !== "subscription-expiring";
    const between = s.sweep("2026-03-10T09:05:00Z", [spike()]);
    const contract = between.findings.find((f) => f.kind === "subscription-expiring");
    expect(contract).toMatchObject({ change: "ongoing", status: "firing", lastSeen: "2026-03-10T09:00:00.000Z" });
    expect(between.resolvedIds).toEqual([]);
    expect(between.notifications).toEqual([]);

    s.covered = () => true;
    const hourly = s.sweep("2026-03-10T10:00:00Z", [spike()]);
    expect(hourly.resolvedIds).toEqual([expiring().id]);
    expect(reasons(hourly)).toEqual({ [expiring().id]: "resolved" });
  });

  it("does not resolve findings on an instance whose collection failed", () => {
    const s = new Sweeper();
    s.sweep("2026-03-10T09:00:00Z", [spike(), authBurst()]);
    s.covered = (_kind, instanceId) => instanceId !== ORDERS_ID;
    const result = s.sweep("2026-03-10T09:05:00Z", []);
    expect(result.resolvedIds).toEqual([spike().id]);
    expect(result.findings.find((f) => f.id === authBurst().id)).toMatchObject({ status: "firing", change: "ongoing" });
  });

  it("keeps the detector's memo for the next sweep, and the old one when the finding is only carried over", () => {
    const s = new Sweeper();
    const first = s.sweep("2026-03-10T09:00:00Z", [{ ...expiring(), memo: { rung: 7 } }]);
    expect(first.nextFindings[0]?.memo).toEqual({ rung: 7 });
    s.covered = () => false;
    const carried = s.sweep("2026-03-10T09:05:00Z", []);
    expect(carried.nextFindings[0]?.memo).toEqual({ rung: 7 });
  });
});

describe("dedupe", () => {
  it("keeps the more severe of two detections with one id and unites their evidence", () => {
    const s = new Sweeper();
    const mild = spike("warning", 0.2);
    const worse = { ...spike("critical", 0.5), evidence: { ...spike("critical", 0.5).evidence, reasons: [{ reason: "Timeout", count: 90 }] } };
    const result = s.sweep("2026-03-10T09:05:00Z", [mild, worse]);
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0];
    expect(f?.severity).toBe("critical");
    expect(f?.evidence.rate).toBe(0.5);
    expect(f?.evidence.reasons).toEqual([{ reason: "Timeout", count: 90 }, { reason: "BackendConnectionFailure", count: 1204 }]);
    expect(result.notifications).toHaveLength(1);
  });
});

describe("acknowledgements", () => {
  it("hold until the finding escalates", () => {
    const s = new Sweeper();
    s.sweep("2026-03-10T09:00:00Z", [spike("warning")]);
    const ack: Acknowledgement = { kind: "ack", findingId: spike().id, by: "Dana Ruiz", at: "2026-03-10T09:02:00.000Z", severity: "warning", firstSeen: "2026-03-10T09:00:00.000Z" };
    s.mutes = { ...emptyMutes(), acks: new Map([[ack.findingId, ack]]) };

    const acked = s.sweep("2026-03-10T09:05:00Z", [spike("warning")]);
    expect(acked.findings[0]).toMatchObject({ status: "acknowledged", acknowledgedBy: "Dana Ruiz" });
    expect(acked.notifications.map((n) => n.reason)).toEqual(["status-changed"]);

    // A day of the same warning while acknowledged: no reminder, no age escalation.
    const quiet = s.sweep("2026-03-11T09:05:00Z", [spike("warning")]);
    expect(quiet.notifications).toEqual([]);
    expect(quiet.expiredMutes).toEqual([]);

    const worse = s.sweep("2026-03-11T09:10:00Z", [spike("critical", 0.7)]);
    expect(worse.findings[0]).toMatchObject({ status: "firing", change: "escalated" });
    expect(worse.findings[0]?.acknowledgedBy).toBeUndefined();
    expect(worse.notifications.map((n) => n.reason)).toEqual(["escalated"]);
    expect(worse.expiredMutes).toEqual([{ kind: "ack", findingId: spike().id }]);
  });

  it("end with the incident: an ack from before a resolution does not hold the next one", () => {
    const s = new Sweeper();
    s.sweep("2026-03-10T09:00:00Z", [spike()]);
    const ack: Acknowledgement = { kind: "ack", findingId: spike().id, by: "Dana Ruiz", at: "2026-03-10T09:01:00.000Z", severity: "warning", firstSeen: "2026-03-10T09:00:00.000Z" };
    s.mutes = { ...emptyMutes(), acks: new Map([[ack.findingId, ack]]) };
    const resolved = s.sweep("2026-03-10T09:30:00Z", []);
    expect(resolved.expiredMutes).toEqual([{ kind: "ack", findingId: spike().id }]);
    const refire = s.sweep("2026-03-10T12:00:00Z", [spike()]);
    expect(refire.findings[0]?.status).toBe("firing");
    expect(refire.notifications.map((n) => n.reason)).toEqual(["first"]);
  });
});

describe("snoozes", () => {
  it("hold every notification until their time, then let the finding through as mute-ended", () => {
    const s = new Sweeper();
    s.sweep("2026-03-10T09:00:00Z", [spike("critical")]);
    const snooze: Snooze = { kind: "snooze", findingId: spike().id, by: "Dana Ruiz", at: "2026-03-10T09:01:00.000Z", until: "2026-03-10T13:01:00.000Z" };
    s.mutes = { ...emptyMutes(), snoozes: new Map([[snooze.findingId, snooze]]) };
    const snoozed = s.sweep("2026-03-10T09:05:00Z", [spike("critical")]);
    expect(snoozed.findings[0]).toMatchObject({ status: "snoozed", snoozedUntil: "2026-03-10T13:01:00.000Z" });
    expect(snoozed.notifications).toEqual([]);
    // Past the 1 h escalation and 4 h repeat for critical, still quiet.
    expect(s.sweep("2026-03-10T13:00:00Z", [spike("critical")]).notifications).toEqual([]);

    const after = s.sweep("2026-03-10T13:05:00Z", [spike("critical")]);
    expect(after.findings[0]?.status).toBe("firing");
    expect(after.notifications.map((n) => n.reason)).toEqual(["mute-ended"]);
    expect(after.expiredMutes).toEqual([{ kind: "snooze", findingId: spike().id }]);
    // The escalation clock restarts when the snooze ends, rather than firing at once for the hours snoozed.
    expect(s.sweep("2026-03-10T14:00:00Z", [spike("critical")]).notifications).toEqual([]);
    expect(s.sweep("2026-03-10T14:05:00Z", [spike("critical")]).notifications.map((n) => n.reason)).toEqual(["escalated"]);
  });
});

describe("silences", () => {
  it("keep matching findings marked silenced, hold their cards, and release them when the silence ends", () => {
    const s = new Sweeper();
    const made = createSilence({ instance: "PAY-APIM-PROD", durationMs: 2 * 3_600_000, reason: "gateway upgrade", by: "Sam Lee" }, new Date("2026-03-10T09:00:00Z"));
    if (!("silence" in made)) throw new Error(made.error);
    expect(made.silence).toMatchObject({ endsAt: "2026-03-10T11:00:00.000Z", reason: "gateway upgrade", by: "Sam Lee" });
    s.mutes = { ...emptyMutes(), silences: [made.silence] };

    const during = s.sweep("2026-03-10T09:05:00Z", [spike(), authBurst()]);
    expect(during.findings.find((f) => f.id === spike().id)).toMatchObject({ status: "silenced", snoozedUntil: "2026-03-10T11:00:00.000Z" });
    expect(reasons(during)).toEqual({ [authBurst().id]: "first" });

    expect(s.sweep("2026-03-10T10:55:00Z", [spike(), authBurst()]).notifications).toEqual([]);

    const after = s.sweep("2026-03-10T11:00:00Z", [spike(), authBurst()]);
    expect(after.findings.find((f) => f.id === spike().id)?.status).toBe("firing");
    expect(after.notifications.map((n) => [n.finding.id, n.reason])).toEqual([[spike().id, "mute-ended"]]);
  });

  it("can target one API, leaving the rest of the instance loud", () => {
    const s = new Sweeper();
    const made = createSilence({ api: "orders-api", durationMs: 3_600_000, by: "Sam Lee" }, new Date("2026-03-10T09:00:00Z"));
    if (!("silence" in made)) throw new Error(made.error);
    s.mutes = { ...emptyMutes(), silences: [made.silence] };
    const result = s.sweep("2026-03-10T09:05:00Z", [authBurst(), expiring(), spike()]);
    expect(result.findings.find((f) => f.id === authBurst().id)?.status).toBe("silenced");
    expect(result.findings.find((f) => f.id === expiring().id)?.status).toBe("firing");
    expect(Object.keys(reasons(result)).sort()).toEqual([expiring().id, spike().id].sort());
  });

  it("do not announce the resolution of something never posted", () => {
    const s = new Sweeper();
    const made = createSilence({ instance: "pay-apim-prod", durationMs: 3_600_000, by: "Sam Lee" }, new Date("2026-03-10T09:00:00Z"));
    if (!("silence" in made)) throw new Error(made.error);
    s.mutes = { ...emptyMutes(), silences: [made.silence] };
    s.sweep("2026-03-10T09:05:00Z", [spike()]);
    const resolved = s.sweep("2026-03-10T09:10:00Z", []);
    expect(resolved.resolvedIds).toEqual([spike().id]);
    expect(resolved.notifications).toEqual([]);
  });

  it("refuse a silence with no end, one too long, and one that matches everything", () => {
    const now = new Date("2026-03-10T09:00:00Z");
    const noEnd = createSilence({ instance: "pay-apim-prod", by: "Sam Lee" }, now);
    expect(noEnd).toEqual({ error: expect.stringContaining("needs an end") });
    const everything = createSilence({ durationMs: 3_600_000, by: "Sam Lee" }, now);
    expect(everything).toEqual({ error: expect.stringContaining("matches everything") });
    const star = createSilence({ instance: "*", durationMs: 3_600_000, by: "Sam Lee" }, now);
    expect(star).toEqual({ error: expect.stringContaining("matches everything") });
    const wildcard = createSilence({ instance: "pay-*", durationMs: 3_600_000, by: "Sam Lee" }, now);
    expect(wildcard).toEqual({ error: expect.stringContaining("wildcards") });
    const tooLong = createSilence({ api: "orders-api", durationMs: 90 * 86_400_000, by: "Sam Lee" }, now);
    expect(tooLong).toEqual({ error: expect.stringContaining("at most 30d") });
  });
});

describe("escalation by age and reminders", () => {
  it("escalates a critical finding left unacknowledged for an hour, once, then reminds every 4 hours", () => {
    const s = new Sweeper();
    s.sweep("2026-03-10T09:00:00Z", [spike("critical")]);
    expect(s.sweep("2026-03-10T09:55:00Z", [spike("critical")]).notifications).toEqual([]);
    const late = s.sweep("2026-03-10T10:00:00Z", [spike("critical")]);
    expect(late.findings[0]?.change).toBe("escalated");
    expect(late.notifications).toEqual([expect.objectContaining({ reason: "escalated", note: "firing unacknowledged for 1h" })]);
    const next = s.sweep("2026-03-10T10:05:00Z", [spike("critical")]);
    expect(next.findings[0]?.change).toBe("ongoing");
    expect(next.notifications).toEqual([]);
    expect(s.sweep("2026-03-10T13:55:00Z", [spike("critical")]).notifications).toEqual([]);
    expect(s.sweep("2026-03-10T14:00:00Z", [spike("critical")]).notifications.map((n) => n.reason)).toEqual(["repeat"]);
  });

  it("never escalates or repeats info findings by age", () => {
    const s = new Sweeper();
    const info = { ...expiring("info") };
    s.sweep("2026-03-10T09:00:00Z", [info]);
    expect(s.sweep("2026-03-17T09:00:00Z", [info]).notifications).toEqual([]);
  });
});

describe("grouping", () => {
  it("makes one group per instance, most severe first", () => {
    const s = new Sweeper();
    const result = s.sweep("2026-03-10T09:00:00Z", [expiring("warning"), spike("warning"), authBurst("critical")]);
    expect(result.groups.map((g) => [g.instance, g.notifications.map((n) => n.finding.kind)])).toEqual([
      ["orders-apim-prod", ["auth-failure-burst", "subscription-expiring"]],
      ["pay-apim-prod", ["gateway-5xx-spike"]],
    ]);
    expect(result.groups[1]?.instanceId).toBe(PAY_ID);
  });

  it("puts resolutions after what still fires on the same instance", () => {
    const s = new Sweeper();
    s.sweep("2026-03-10T09:00:00Z", [authBurst("critical")]);
    const result = s.sweep("2026-03-10T09:05:00Z", [expiring("info")]);
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]?.notifications.map((n) => n.reason)).toEqual(["first", "resolved"]);
  });
});

describe("prior findings without stored details", () => {
  it("are remembered, not resolved blindly", () => {
    const s = new Sweeper();
    const id = fingerprint("provisioning-stuck", PAY_ID);
    const prior = { id, kind: "provisioning-stuck" as const, severity: "critical" as const, status: "firing" as const, firstSeen: "2026-03-10T08:00:00.000Z", lastSeen: "2026-03-10T08:55:00.000Z" };
    s.seed({ findings: new Map([[id, prior]]), instances: new Map() }, new Map());
    const out = s.sweep("2026-03-10T09:00:00Z", []);
    expect(out.resolvedIds).toEqual([]);
    expect(out.nextFindings).toEqual([prior]);
  });
});
