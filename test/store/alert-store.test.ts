import { randomBytes } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { describe, expect, inject, it } from "vitest";
import type { Detection } from "../../src/domain/finding";
import type { InstanceMemory } from "../../src/domain/prior";
import { AlertStore, type LoadedState } from "../../src/store/alert-store";
import { DEFAULT_TRIAGE_CONFIG, triage, type TriageResult } from "../../src/triage";
import { authBurst, expiring, ORDERS_ID, PAY_ID, spike } from "../triage/fixtures";

const storage = (): { storage: { connectionString: string } } => ({ storage: { connectionString: inject("storageConnectionString") } });
const freshPrefix = (): string => `t${randomBytes(5).toString("hex")}`;

function sweep(state: LoadedState, at: string, detections: Detection[]): TriageResult {
  return triage({ detections, prior: state.prior, priorDetails: state.details, mutes: state.mutes, now: new Date(at), covered: () => true, config: DEFAULT_TRIAGE_CONFIG });
}

const memory: InstanceMemory[] = [
  { instanceId: PAY_ID, instance: "pay-apim-prod", provisioningState: "Succeeded", stateSince: "2026-03-09T10:00:00.000Z", lastReadOk: "2026-03-10T09:00:00.000Z" },
  { instanceId: ORDERS_ID, instance: "orders-apim-prod", provisioningState: "Updating", stateSince: "2026-03-10T08:10:00.000Z", lastFailureAt: "2026-03-10T09:00:00.000Z", lastFailureStatus: 403, contractsReadAt: "2026-03-10T08:00:00.000Z" },
];

describe("AlertStore", () => {
  it("round-trips a sweep, and a new store object remembers it all", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix });
    const empty = await store.loadPrior();
    expect(empty.prior.findings.size).toBe(0);

    const first = sweep(empty, "2026-03-10T09:00:00Z", [spike(), authBurst(), { ...expiring(), memo: { rung: 7 } }]);
    const report = await store.saveSweep(first, memory);
    expect(report).toMatchObject({ findingsWritten: 3, instancesWritten: 2, truncated: [] });

    const restarted = new AlertStore(storage(), { tablePrefix: prefix });
    const loaded = await restarted.loadPrior();
    expect([...loaded.details.values()].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...first.findings].sort((a, b) => a.id.localeCompare(b.id)));
    expect([...loaded.prior.findings.values()].sort((a, b) => a.id.localeCompare(b.id))).toEqual(first.nextFindings);
    expect(loaded.prior.findings.get(expiring().id)?.memo).toEqual({ rung: 7 });
    expect(loaded.prior.instances.get(ORDERS_ID)).toEqual(memory[1]);
    expect(loaded.prior.instances.get(PAY_ID)).toEqual(memory[0]);

    // The same sweep again after the restart: nothing new to say.
    const again = sweep(loaded, "2026-03-10T09:05:00Z", [spike(), authBurst(), expiring()]);
    expect(again.notifications).toEqual([]);
    expect(again.findings.every((f) => f.change === "ongoing")).toBe(true);
  });

  it("keeps acks, snoozes and silences across restarts and applies them to what it lists", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix });
    const t0 = "2026-03-10T09:00:00Z";
    await store.saveSweep(sweep(await store.loadPrior(), t0, [spike(), authBurst(), expiring()]), memory);

    const acked = await store.acknowledge(spike().id.slice(0, 8), "Dana Ruiz", new Date("2026-03-10T09:02:00Z"));
    expect(acked).toMatchObject({ id: spike().id, status: "acknowledged", acknowledgedBy: "Dana Ruiz", acknowledgedAt: "2026-03-10T09:02:00.000Z" });
    const snoozed = await store.snooze(authBurst().id, 4 * 3_600_000, "Sam Lee", new Date("2026-03-10T09:03:00Z"));
    expect(snoozed).toMatchObject({ status: "snoozed", snoozedUntil: "2026-03-10T13:03:00.000Z" });
    expect(await store.silenceTarget("Orders-APIM-Prod")).toEqual({ instance: "orders-apim-prod" });
    expect(await store.silenceTarget("payments-api")).toEqual({ api: "payments-api" });
    const silence = await store.addSilence({ instance: "orders-apim-prod", durationMs: 2 * 3_600_000, reason: "certificate rotation", by: "Sam Lee" }, new Date("2026-03-10T09:04:00Z"));
    if ("error" in silence) throw new Error(silence.error);
    expect(await store.addSilence({ durationMs: 3_600_000, by: "Sam Lee" }, new Date("2026-03-10T09:04:00Z"))).toEqual({ error: expect.stringContaining("matches everything") });

    const restarted = new AlertStore(storage(), { tablePrefix: prefix });
    const open = await restarted.listOpen(new Date("2026-03-10T09:05:00Z"));
    expect(Object.fromEntries(open.map((f) => [f.kind, f.status]))).toEqual({
      "gateway-5xx-spike": "acknowledged",
      "auth-failure-burst": "silenced",
      "subscription-expiring": "silenced",
    });
    expect(await restarted.listSilences(new Date("2026-03-10T09:05:00Z"))).toEqual([silence]);
    expect(await restarted.listSilences(new Date("2026-03-10T11:04:00Z"))).toEqual([]);

    const loaded = await restarted.loadPrior();
    expect(loaded.mutes.acks.get(spike().id)).toMatchObject({ by: "Dana Ruiz", severity: "warning" });
    expect(loaded.mutes.snoozes.get(authBurst().id)).toMatchObject({ by: "Sam Lee", until: "2026-03-10T13:03:00.000Z" });
    const during = sweep(loaded, "2026-03-10T09:05:00Z", [spike(), authBurst(), expiring()]);
    expect(during.notifications.map((n) => [n.finding.kind, n.reason])).toEqual([["gateway-5xx-spike", "status-changed"]]);
    await restarted.saveSweep(during, memory);

    const removed = await restarted.removeSilence(silence.id.slice(0, 6));
    expect(removed).toEqual(silence);
    const after = sweep(await restarted.loadPrior(), "2026-03-10T09:10:00Z", [spike(), authBurst(), expiring()]);
    // The burst is still snoozed; the contract comes back now that the silence is gone.
    expect(after.notifications.map((n) => [n.finding.kind, n.reason])).toEqual([["subscription-expiring", "mute-ended"]]);
  });

  it("deletes an ack that escalation ended, but not one set again while the sweep ran", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix });
    await store.saveSweep(sweep(await store.loadPrior(), "2026-03-10T09:00:00Z", [spike(), authBurst()]), memory);
    await store.acknowledge(spike().id, "Dana Ruiz", new Date("2026-03-10T09:01:00Z"));
    await store.acknowledge(authBurst().id, "Dana Ruiz", new Date("2026-03-10T09:01:00Z"));

    const loaded = await store.loadPrior();
    const escalated = sweep(loaded, "2026-03-10T09:05:00Z", [spike("critical", 0.6), authBurst("critical")]);
    expect(escalated.expiredMutes.map((m) => m.findingId).sort()).toEqual([spike().id, authBurst().id].sort());
    // Someone acknowledges the critical burst while the sweep is still running.
    await store.acknowledge(authBurst().id, "Sam Lee", new Date("2026-03-10T09:05:10Z"));
    const report = await store.saveSweep(escalated, memory);
    expect(report.mutesDeleted).toBe(1);

    const after = await store.loadPrior();
    expect(after.mutes.acks.has(spike().id)).toBe(false);
    expect(after.mutes.acks.get(authBurst().id)).toMatchObject({ by: "Sam Lee", at: "2026-03-10T09:05:10.000Z" });
  });

  it("refuses acks on unknown, ambiguous or resolved alert ids with a clear message", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix });
    await store.saveSweep(sweep(await store.loadPrior(), "2026-03-10T09:00:00Z", [spike()]), memory);
    await store.saveSweep(sweep(await store.loadPrior(), "2026-03-10T09:05:00Z", []), memory);
    expect(await store.acknowledge(spike().id, "Dana Ruiz", new Date("2026-03-10T09:06:00Z"))).toEqual({ error: expect.stringContaining("already resolved") });
    expect(await store.acknowledge("abc", "Dana Ruiz", new Date("2026-03-10T09:06:00Z"))).toEqual({ error: expect.stringContaining("at least 6") });
    expect(await store.snooze("0123456789", 3_600_000, "Dana Ruiz", new Date("2026-03-10T09:06:00Z"))).toEqual({ error: expect.stringContaining("No open alert") });
  });

  it("converges after a save that stopped after some partitions", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix });
    await store.saveSweep(sweep(await store.loadPrior(), "2026-03-10T09:00:00Z", [spike(), authBurst()]), memory);

    // Next sweep: the spike escalates, the burst resolves, a contract starts expiring.
    const before = await store.loadPrior();
    const full = sweep(before, "2026-03-10T09:05:00Z", [spike("critical", 0.6), expiring()]);
    // Killed after writing the pay-apim-prod partition only.
    const partial: TriageResult = { ...full, findings: full.findings.filter((f) => f.instanceId === PAY_ID) };
    await store.saveSweep(partial, []);

    const mixed = await new AlertStore(storage(), { tablePrefix: prefix }).loadPrior();
    expect(mixed.prior.findings.get(spike().id)?.severity).toBe("critical");
    expect(mixed.prior.findings.get(authBurst().id)?.status).toBe("firing");
    expect(mixed.prior.findings.has(expiring().id)).toBe(false);

    // The next sweep recomputes from the mix and saves in full; the store ends where a clean run would.
    const retry = sweep(mixed, "2026-03-10T09:05:30Z", [spike("critical", 0.6), expiring()]);
    expect(retry.resolvedIds).toEqual([authBurst().id]);
    expect(retry.findings.find((f) => f.id === expiring().id)?.change).toBe("new");
    await store.saveSweep(retry, memory);
    const settled = await store.loadPrior();
    expect(Object.fromEntries([...settled.prior.findings.values()].map((p) => [p.kind, [p.status, p.severity]]))).toEqual({
      "gateway-5xx-spike": ["firing", "critical"],
      "auth-failure-burst": ["resolved", "warning"],
      "subscription-expiring": ["firing", "warning"],
    });
  });

  it("writes more than one transaction's worth of findings for one instance", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix });
    const many: Detection[] = Array.from({ length: 230 }, (_, i) => {
      const base = spike();
      const resourceId = `${PAY_ID}/apis/api-${i}`;
      return { ...base, id: `${i.toString(16).padStart(4, "0")}${base.id.slice(4)}`, resourceId, api: `api-${i}` };
    });
    const result = sweep(await store.loadPrior(), "2026-03-10T09:00:00Z", many);
    expect((await store.saveSweep(result, memory)).findingsWritten).toBe(230);
    expect((await store.loadPrior()).details.size).toBe(230);
  });

  it("keeps huge evidence whole when it fits, and cuts it with a marker when it does not, never losing the finding", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix });
    const callers = Array.from({ length: 3_000 }, (_, i) => ({ ip: `10.1.${Math.floor(i / 250)}.${i % 250}`, count: 3_000 - i, userAgent: "contoso-orders-client/4.2.1 (linux; node 20)" }));
    const medium = { ...authBurst(), evidence: { ...authBurst().evidence, topCallers: callers } }; // ~250 KB of JSON: split, not cut
    const huge = { ...spike(), evidence: { ...spike().evidence, samples: Array.from({ length: 40_000 }, (_, i) => ({ time: `2026-03-10T08:${String(i % 60).padStart(2, "0")}:00Z`, operation: "POST /payments", status: 502, reason: "BackendConnectionFailure" })) } };
    const result = sweep(await store.loadPrior(), "2026-03-10T09:00:00Z", [medium, huge]);
    const report = await store.saveSweep(result, memory);
    expect(report.truncated).toEqual([spike().id]);

    const loaded = await new AlertStore(storage(), { tablePrefix: prefix }).loadPrior();
    expect(loaded.details.get(authBurst().id)?.evidence.topCallers).toEqual(callers);
    const cut = loaded.details.get(spike().id);
    expect(cut?.title).toBe(spike().title);
    expect(cut?.remediation).toEqual(spike().remediation);
    expect(cut?.evidence.rate).toBe(0.35);
    const samples = cut?.evidence.samples as unknown[];
    expect(samples.length).toBeGreaterThan(1000);
    expect(samples.length).toBeLessThan(40_000);
    expect(cut?.evidence._truncated).toMatchObject({ shortenedLists: { samples: 40_000 - samples.length } });
  });

  it("prunes resolved findings and ended silences after their retention", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix, resolvedRetentionDays: 7 });
    await store.saveSweep(sweep(await store.loadPrior(), "2026-03-10T09:00:00Z", [spike()]), memory);
    await store.addSilence({ api: "payments-api", durationMs: 3_600_000, by: "Sam Lee" }, new Date("2026-03-10T09:01:00Z"));
    await store.saveSweep(sweep(await store.loadPrior(), "2026-03-10T12:00:00Z", []), memory);
    expect((await store.loadPrior()).prior.findings.get(spike().id)?.status).toBe("resolved");

    const late = await store.saveSweep(sweep(await store.loadPrior(), "2026-03-17T12:05:00Z", []), memory);
    expect(late).toMatchObject({ resolvedPruned: 1, silencesPruned: 1 });
    const loaded = await store.loadPrior();
    expect(loaded.prior.findings.size).toBe(0);
    expect(loaded.mutes.silences).toEqual([]);
  });

  it("stores nothing secret-looking of its own", async () => {
    const prefix = freshPrefix();
    const store = new AlertStore(storage(), { tablePrefix: prefix });
    await store.saveSweep(sweep(await store.loadPrior(), "2026-03-10T09:00:00Z", [spike(), authBurst()]), memory);
    await store.acknowledge(spike().id, "Dana Ruiz", new Date("2026-03-10T09:01:00Z"));
    await store.addSilence({ instance: "orders-apim-prod", durationMs: 3_600_000, by: "Sam Lee", reason: "maintenance" }, new Date("2026-03-10T09:01:00Z"));

    const conn = inject("storageConnectionString");
    const accountKey = /AccountKey=([^;]+)/.exec(conn)?.[1] ?? "";
    const dump: string[] = [];
    for (const name of ["findings", "instances", "mutes"]) {
      const table = TableClient.fromConnectionString(conn, `${prefix}${name}`, { allowInsecureConnection: true });
      for await (const entity of table.listEntities()) dump.push(JSON.stringify(entity));
    }
    const text = dump.join("\n");
    expect(text.length).toBeGreaterThan(1000);
    expect(text).not.toContain(accountKey);
    expect(text).not.toMatch(/AccountKey|SharedAccessSignature|sig=|Bearer |eyJ[A-Za-z0-9_-]{10,}/);
  });
});
