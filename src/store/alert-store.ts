/**
 * Alert state in Azure Table Storage: findings (open and recently resolved) with their triage memory,
 * per-instance memory, and the mutes people set (acks, snoozes, silences).
 *
 * Tables (names start with a configurable prefix, `apimbot` by default):
 * - `<prefix>findings`: partition = hash of the instance id, row = finding id. Each entity holds the
 *   full finding and its {@link PriorFinding} together, so the two can never disagree.
 * - `<prefix>instances`: one partition, row = hash of the instance id.
 * - `<prefix>mutes`: partition `ack`, `snooze` or `silence`; row = finding id or silence id. Written by
 *   people (chat and cards), never rewritten by a sweep, so a sweep cannot undo an ack made while it ran.
 *
 * A sweep writes with upserts in per-partition transactions. A sweep killed halfway leaves each entity
 * either as it was or as it should be, and the next sweep recomputes everything from what it finds.
 */
import type { TableClient, TableEntityResult, TransactionAction } from "@azure/data-tables";
import { odata } from "@azure/data-tables";
import { Buffer } from "node:buffer";
import type { Finding } from "../domain/finding";
import { ApimbotError } from "../domain/errors";
import { fnv1a64 } from "../domain/fingerprint";
import type { InstanceMemory, PriorFinding, PriorState } from "../domain/prior";
import { createSilence, type SilenceRequest } from "../triage/silence";
import { emptyMutes, muterFor, type Acknowledgement, type MuteSet, type Silence, type Snooze } from "../triage/muter";
import { mute } from "../triage/mute";
import { formatDuration } from "../triage/parse-duration";
import { resolveIdPrefix } from "../triage/resolve-id-prefix";
import type { TriageResult } from "../triage/triage";
import { fitFinding, joinText, MAX_JSON_CHARS, splitText } from "./entity-codec";
import { openTable, type StorageSettings } from "./table-client";

/** How the store is set up. */
export interface AlertStoreOptions {
  /** Start of every table name (letters and digits). Tests use a random one to stay apart. Default `apimbot`. */
  tablePrefix?: string;
  /** Days a resolved finding is kept (for `status`, re-fires and detector memory). Default 7. */
  resolvedRetentionDays?: number;
  /** Days an ended silence is kept before it is deleted. Default 7. */
  silenceRetentionDays?: number;
  /** Longest snooze accepted. Default 30 days. */
  maxSnoozeMs?: number;
}

/** Everything the next sweep starts from. */
export interface LoadedState {
  prior: PriorState;
  /** The full finding for every stored id, open or recently resolved. */
  details: Map<string, Finding>;
  mutes: MuteSet;
}

/** What one {@link AlertStore.saveSweep} wrote and removed. */
export interface SaveReport {
  findingsWritten: number;
  instancesWritten: number;
  /** Findings whose evidence had to be cut to fit an entity. */
  truncated: string[];
  mutesDeleted: number;
  resolvedPruned: number;
  silencesPruned: number;
}

/** A refusal a person can act on. */
export interface StoreRefusal {
  error: string;
}

const SCHEMA = 1;
const DAY = 86_400_000;
/** Batch body budget: the service takes 4 MiB per transaction; stay well below with the MIME framing. */
const BATCH_BYTES = 3_000_000;
const BATCH_ROWS = 100;
/** Per-partition transactions in flight at once. */
const WRITE_CONCURRENCY = 8;

/** Partition key for everything about one instance: ARM ids hold `/`, which keys refuse. */
export function instanceKey(instanceId: string): string {
  return fnv1a64(instanceId.toLowerCase());
}

interface FindingEntity {
  partitionKey: string;
  rowKey: string;
  v: number;
  kind: string;
  severity: string;
  status: string;
  instance: string;
  instanceId: string;
  lastSeen: string;
  resolvedAt?: string;
  truncated: boolean;
  [chunk: string]: unknown;
}

function encodeFinding(finding: Finding, prior: PriorFinding): { entity: FindingEntity; truncated: boolean } {
  // Detector memory is small by design; a runaway one is dropped rather than crowd out the finding.
  const memoChars = prior.memo === undefined ? 0 : JSON.stringify(prior.memo).length;
  const keptPrior: PriorFinding = memoChars > 60_000 ? { ...prior, memo: { _dropped: `memo of ${memoChars} characters was too large to keep` } } : prior;
  const fitted = fitFinding(finding, MAX_JSON_CHARS - JSON.stringify(keptPrior).length - 100);
  const json = JSON.stringify({ finding: fitted.finding, prior: keptPrior });
  const entity: FindingEntity = {
    partitionKey: instanceKey(finding.instanceId),
    rowKey: finding.id,
    v: SCHEMA,
    kind: finding.kind,
    severity: finding.severity,
    status: finding.status,
    instance: finding.instance,
    instanceId: finding.instanceId,
    lastSeen: finding.lastSeen,
    truncated: fitted.truncated,
    ...splitText(json, "d"),
  };
  if (finding.status === "resolved") entity.resolvedAt = finding.resolvedAt ?? finding.lastSeen;
  return { entity, truncated: fitted.truncated };
}

function decodeFinding(entity: Record<string, unknown>): { finding: Finding; prior: PriorFinding } | undefined {
  const json = joinText(entity, "d");
  if (json === undefined) return undefined;
  try {
    const parsed = JSON.parse(json) as { finding?: Finding; prior?: PriorFinding };
    if (!parsed.finding || !parsed.prior) return undefined;
    return { finding: parsed.finding, prior: parsed.prior };
  } catch {
    return undefined;
  }
}

const INSTANCE_PARTITION = "instance";
const INSTANCE_FIELDS = ["lastReadOk", "lastFailureAt", "lastFailureStatus", "provisioningState", "stateSince", "contractsReadAt", "configReadAt"] as const;

function encodeInstance(memory: InstanceMemory): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const entity: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
    partitionKey: INSTANCE_PARTITION,
    rowKey: instanceKey(memory.instanceId),
    v: SCHEMA,
    instanceId: memory.instanceId,
    instance: memory.instance,
  };
  for (const field of INSTANCE_FIELDS) if (memory[field] !== undefined) entity[field] = memory[field];
  if (memory.logDestinations !== undefined) entity.logDestinations = JSON.stringify(memory.logDestinations);
  return entity;
}

function decodeInstance(entity: Record<string, unknown>): InstanceMemory | undefined {
  if (typeof entity.instanceId !== "string" || typeof entity.instance !== "string") return undefined;
  const memory: InstanceMemory = { instanceId: entity.instanceId, instance: entity.instance };
  for (const field of ["lastReadOk", "lastFailureAt", "provisioningState", "stateSince", "contractsReadAt", "configReadAt"] as const) {
    const value = entity[field];
    if (typeof value === "string") memory[field] = value;
  }
  if (typeof entity.lastFailureStatus === "number") memory.lastFailureStatus = entity.lastFailureStatus;
  if (typeof entity.logDestinations === "string") {
    try {
      const parsed: unknown = JSON.parse(entity.logDestinations);
      if (Array.isArray(parsed)) memory.logDestinations = parsed as InstanceMemory["logDestinations"];
    } catch {
      // A damaged cache entry is only a cache: the next sweep reads the destinations again.
    }
  }
  return memory;
}

type MuteEntity = Record<string, unknown> & { partitionKey: string; rowKey: string };

function encodeMute(m: Acknowledgement | Snooze | Silence): MuteEntity {
  const base = { partitionKey: m.kind, v: SCHEMA, by: m.by, at: m.at };
  switch (m.kind) {
    case "ack":
      return { ...base, rowKey: m.findingId, severity: m.severity, firstSeen: m.firstSeen };
    case "snooze":
      return { ...base, rowKey: m.findingId, until: m.until };
    case "silence": {
      const entity: MuteEntity = { ...base, rowKey: m.id, endsAt: m.endsAt, reason: m.reason };
      if (m.instance) entity.instance = m.instance;
      if (m.api) entity.api = m.api;
      return entity;
    }
  }
}

function str(entity: Record<string, unknown>, key: string): string | undefined {
  const value = entity[key];
  return typeof value === "string" ? value : undefined;
}

function decodeMute(entity: Record<string, unknown>): Acknowledgement | Snooze | Silence | undefined {
  const kind = str(entity, "partitionKey");
  const id = str(entity, "rowKey");
  const by = str(entity, "by");
  const at = str(entity, "at");
  if (!id || by === undefined || !at) return undefined;
  if (kind === "ack") {
    const severity = str(entity, "severity");
    const firstSeen = str(entity, "firstSeen");
    if ((severity !== "critical" && severity !== "warning" && severity !== "info") || !firstSeen) return undefined;
    return { kind, findingId: id, by, at, severity, firstSeen };
  }
  if (kind === "snooze") {
    const until = str(entity, "until");
    return until ? { kind, findingId: id, by, at, until } : undefined;
  }
  if (kind === "silence") {
    const endsAt = str(entity, "endsAt");
    if (!endsAt) return undefined;
    const silence: Silence = { kind, id, by, at, endsAt, reason: str(entity, "reason") ?? "" };
    const instance = str(entity, "instance");
    const api = str(entity, "api");
    if (instance) silence.instance = instance;
    if (api) silence.api = api;
    return silence;
  }
  return undefined;
}

/** A storage failure, described without anything the SDK may have attached (URLs, headers, bodies). */
function storeError(action: string, err: unknown): ApimbotError {
  const status = (err as { statusCode?: number }).statusCode;
  const code = (err as { code?: string }).code;
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  const detail = [status !== undefined ? `status ${status}` : undefined, typeof code === "string" && /^[A-Za-z]+$/.test(code) ? code : undefined].filter(Boolean).join(", ");
  return new ApimbotError("StoreUnavailable", `Table Storage ${action} failed${detail ? ` (${detail})` : ""}; check AzureWebJobsStorage and that the account is reachable.`, { retryable });
}

async function listAll(table: TableClient, filter?: string): Promise<TableEntityResult<Record<string, unknown>>[]> {
  const out: TableEntityResult<Record<string, unknown>>[] = [];
  const pages = filter === undefined ? table.listEntities<Record<string, unknown>>() : table.listEntities<Record<string, unknown>>({ queryOptions: { filter } });
  for await (const entity of pages) out.push(entity);
  return out;
}

/** Splits actions of one partition into transactions within the row and size limits. */
function batches(actions: TransactionAction[]): TransactionAction[][] {
  const out: TransactionAction[][] = [];
  let current: TransactionAction[] = [];
  let bytes = 0;
  for (const action of actions) {
    const actionBytes = Buffer.byteLength(JSON.stringify(action[1]), "utf8") + 512;
    if (current.length > 0 && (current.length >= BATCH_ROWS || bytes + actionBytes > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(action);
    bytes += actionBytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function deleteAction(entity: { partitionKey?: string; rowKey?: string }): TransactionAction {
  return ["delete", { partitionKey: entity.partitionKey ?? "", rowKey: entity.rowKey ?? "" }];
}

async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}

/** Groups actions by partition and submits each partition's transactions. */
async function submitByPartition(table: TableClient, actions: TransactionAction[]): Promise<void> {
  const byPartition = new Map<string, TransactionAction[]>();
  for (const action of actions) {
    const pk = action[1].partitionKey as string;
    const list = byPartition.get(pk) ?? [];
    list.push(action);
    byPartition.set(pk, list);
  }
  const transactions = [...byPartition.values()].flatMap(batches);
  await inPool(transactions, WRITE_CONCURRENCY, async (tx) => {
    await table.submitTransaction(tx);
  });
}

/** Decodes mute rows; records each row's etag in `etags` when given. */
function mutesFrom(rows: TableEntityResult<Record<string, unknown>>[], etags?: Map<string, string>): MuteSet {
  const acks = new Map<string, Acknowledgement>();
  const snoozes = new Map<string, Snooze>();
  const silences: Silence[] = [];
  for (const row of rows) {
    const m = decodeMute(row);
    if (!m) continue;
    if (row.etag && etags) etags.set(`${row.partitionKey}/${row.rowKey}`, row.etag);
    if (m.kind === "ack") acks.set(m.findingId, m);
    else if (m.kind === "snooze") snoozes.set(m.findingId, m);
    else silences.push(m);
  }
  silences.sort((a, b) => a.endsAt.localeCompare(b.endsAt) || a.id.localeCompare(b.id));
  return { acks, snoozes, silences };
}

/** Alert state in Table Storage. Every method takes the time it should act at; none reads the clock. */
export class AlertStore {
  private readonly prefix: string;
  private readonly resolvedRetentionMs: number;
  private readonly silenceRetentionMs: number;
  private readonly maxSnoozeMs: number;
  private tables?: Promise<{ findings: TableClient; instances: TableClient; mutes: TableClient }>;
  /** Etags of the mutes the last {@link loadPrior} saw, so a sweep deletes only what it judged. */
  private muteEtags = new Map<string, string>();

  constructor(
    private readonly settings: { storage: StorageSettings },
    options: AlertStoreOptions = {},
  ) {
    this.prefix = options.tablePrefix ?? "apimbot";
    this.resolvedRetentionMs = (options.resolvedRetentionDays ?? 7) * DAY;
    this.silenceRetentionMs = (options.silenceRetentionDays ?? 7) * DAY;
    this.maxSnoozeMs = options.maxSnoozeMs ?? 30 * DAY;
  }

  private open(): Promise<{ findings: TableClient; instances: TableClient; mutes: TableClient }> {
    if (!this.tables) {
      const storage = this.settings.storage;
      this.tables = Promise.all([
        openTable(storage, `${this.prefix}findings`),
        openTable(storage, `${this.prefix}instances`),
        openTable(storage, `${this.prefix}mutes`),
      ]).then(([findings, instances, mutes]) => ({ findings, instances, mutes }));
      // A failed open is retried on the next call instead of being remembered forever.
      this.tables.catch(() => {
        this.tables = undefined;
      });
    }
    return this.tables.catch((err: unknown) => {
      if (err instanceof ApimbotError) throw err;
      throw storeError("open", err);
    });
  }

  /** Everything the next sweep needs: remembered findings with their details, instance memory and mutes. */
  async loadPrior(): Promise<LoadedState> {
    const t = await this.open();
    try {
      const [findingRows, instanceRows, muteRows] = await Promise.all([listAll(t.findings), listAll(t.instances), listAll(t.mutes)]);
      const findings = new Map<string, PriorFinding>();
      const details = new Map<string, Finding>();
      for (const row of findingRows) {
        const decoded = decodeFinding(row);
        if (!decoded) continue;
        findings.set(decoded.prior.id, decoded.prior);
        details.set(decoded.finding.id, decoded.finding);
      }
      const instances = new Map<string, InstanceMemory>();
      for (const row of instanceRows) {
        const memory = decodeInstance(row);
        if (memory) instances.set(memory.instanceId, memory);
      }
      const etags = new Map<string, string>();
      const mutes = mutesFrom(muteRows, etags);
      this.muteEtags = etags;
      return { prior: { findings, instances }, details, mutes };
    } catch (err) {
      throw storeError("read", err);
    }
  }

  /**
   * Persists one sweep: every finding of the result with its memory, the instance memory, the removal of
   * mutes triage found expired, and the pruning of resolved findings and silences past retention.
   */
  async saveSweep(result: TriageResult, instanceMemory: readonly InstanceMemory[]): Promise<SaveReport> {
    const t = await this.open();
    const now = Date.parse(result.sweptAt);
    const priorById = new Map(result.nextFindings.map((p) => [p.id, p]));
    const report: SaveReport = { findingsWritten: 0, instancesWritten: 0, truncated: [], mutesDeleted: 0, resolvedPruned: 0, silencesPruned: 0 };
    try {
      const findingActions: TransactionAction[] = [];
      for (const finding of result.findings) {
        const prior = priorById.get(finding.id);
        if (!prior) continue;
        const { entity, truncated } = encodeFinding(finding, prior);
        if (truncated) report.truncated.push(finding.id);
        findingActions.push(["upsert", entity, "Replace"]);
      }
      await submitByPartition(t.findings, findingActions);
      report.findingsWritten = findingActions.length;

      const instanceActions: TransactionAction[] = instanceMemory.map((m) => ["upsert", encodeInstance(m), "Replace"]);
      await submitByPartition(t.instances, instanceActions);
      report.instancesWritten = instanceActions.length;

      for (const expired of result.expiredMutes) {
        if (await this.deleteMute(t.mutes, expired.kind, expired.findingId)) report.mutesDeleted++;
      }

      const cutoff = new Date(now - this.resolvedRetentionMs).toISOString();
      const stale = await listAll(t.findings, odata`status eq 'resolved' and resolvedAt lt ${cutoff}`);
      await submitByPartition(t.findings, stale.map(deleteAction));
      report.resolvedPruned = stale.length;

      const silenceCutoff = new Date(now - this.silenceRetentionMs).toISOString();
      const ended = await listAll(t.mutes, odata`PartitionKey eq 'silence' and endsAt lt ${silenceCutoff}`);
      await submitByPartition(t.mutes, ended.map(deleteAction));
      report.silencesPruned = ended.length;
    } catch (err) {
      if (err instanceof ApimbotError) throw err;
      throw storeError("write", err);
    }
    return report;
  }

  /** Deletes a mute only if it is still the one the last load saw; someone may have just set it again. */
  private async deleteMute(table: TableClient, kind: string, rowKey: string): Promise<boolean> {
    const etag = this.muteEtags.get(`${kind}/${rowKey}`);
    try {
      await table.deleteEntity(kind, rowKey, etag ? { etag } : {});
      return true;
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 412) return false;
      throw err;
    }
  }

  private async currentMutes(t: { mutes: TableClient }): Promise<MuteSet> {
    try {
      const rows = await listAll(t.mutes);
      return mutesFrom(rows);
    } catch (err) {
      throw storeError("read", err);
    }
  }

  /** Stored findings with the status their mutes give them at `now`. */
  private async readFindings(filter: string | undefined, now: Date): Promise<Finding[]> {
    const t = await this.open();
    let rows: TableEntityResult<Record<string, unknown>>[];
    try {
      rows = await listAll(t.findings, filter);
    } catch (err) {
      throw storeError("read", err);
    }
    const found = rows.map(decodeFinding).filter((d): d is { finding: Finding; prior: PriorFinding } => d !== undefined).map((d) => d.finding);
    const mutes = found.some((f) => f.status !== "resolved") ? await this.currentMutes(t) : emptyMutes();
    const stage = mute(muterFor(mutes), now);
    return stage(found.map((finding) => ({ finding, detected: false, carried: false }))).map((a) => a.finding);
  }

  /** Every open finding, most recently seen first, with its status as of `now`. */
  async listOpen(now: Date): Promise<Finding[]> {
    const open = await this.readFindings(odata`status ne 'resolved'`, now);
    return open.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || a.id.localeCompare(b.id));
  }

  /** The stored findings with these ids (open or recently resolved); unknown ids are left out. */
  async getFindings(ids: readonly string[], now: Date): Promise<Finding[]> {
    const wanted = new Set(ids);
    if (wanted.size === 0) return [];
    const all = await this.readFindings(undefined, now);
    return all.filter((f) => wanted.has(f.id));
  }

  /** What is remembered about each instance, by name. */
  async listInstances(): Promise<InstanceMemory[]> {
    const t = await this.open();
    try {
      const rows = await listAll(t.instances);
      return rows.map(decodeInstance).filter((m): m is InstanceMemory => m !== undefined).sort((a, b) => a.instance.localeCompare(b.instance));
    } catch (err) {
      throw storeError("read", err);
    }
  }

  private async openFindingByPrefix(idPrefix: string, now: Date): Promise<Finding | StoreRefusal> {
    const all = await this.readFindings(undefined, now);
    const open = all.filter((f) => f.status !== "resolved");
    const hit = resolveIdPrefix(idPrefix, open.map((f) => f.id));
    if ("error" in hit) {
      const resolved = resolveIdPrefix(idPrefix, all.filter((f) => f.status === "resolved").map((f) => f.id));
      if ("id" in resolved) return { error: `Alert ${resolved.id} is already resolved; there is nothing left to hold back.` };
      return hit;
    }
    return open.find((f) => f.id === hit.id) as Finding;
  }

  /**
   * Acknowledges the open finding whose id starts with `idPrefix`. The ack holds until the finding
   * resolves or its severity rises. Returns the finding as it now stands, or a refusal.
   */
  async acknowledge(idPrefix: string, user: string, now: Date): Promise<Finding | StoreRefusal> {
    const found = await this.openFindingByPrefix(idPrefix, now);
    if ("error" in found) return found;
    const ack: Acknowledgement = { kind: "ack", findingId: found.id, by: user, at: now.toISOString(), severity: found.severity, firstSeen: found.firstSeen };
    await this.putMute(ack);
    return (await this.getFindings([found.id], now))[0] ?? found;
  }

  /** Snoozes the open finding whose id starts with `idPrefix` for `ms`. Returns the finding, or a refusal. */
  async snooze(idPrefix: string, ms: number, user: string, now: Date): Promise<Finding | StoreRefusal> {
    if (!Number.isFinite(ms) || ms <= 0) return { error: "A snooze needs a duration such as 30m, 4h or 1d." };
    if (ms > this.maxSnoozeMs) return { error: `A snooze may last at most ${formatDuration(this.maxSnoozeMs)}.` };
    const found = await this.openFindingByPrefix(idPrefix, now);
    if ("error" in found) return found;
    const snooze: Snooze = { kind: "snooze", findingId: found.id, by: user, at: now.toISOString(), until: new Date(now.getTime() + ms).toISOString() };
    await this.putMute(snooze);
    return (await this.getFindings([found.id], now))[0] ?? found;
  }

  /** Adds a silence after checking it (see `createSilence`); returns it, or the reason it was refused. */
  async addSilence(request: SilenceRequest, now: Date): Promise<Silence | StoreRefusal> {
    const made = createSilence(request, now);
    if ("error" in made) return made;
    await this.putMute(made.silence);
    return made.silence;
  }

  /**
   * What a chat `silence <target>` means: the instance of that service name when one is known,
   * otherwise an API of that id.
   */
  async silenceTarget(target: string): Promise<{ instance: string } | { api: string }> {
    const wanted = target.trim().toLowerCase();
    const instance = (await this.listInstances()).find((m) => m.instance.toLowerCase() === wanted);
    return instance ? { instance: instance.instance } : { api: target.trim() };
  }

  /** Silences still in force at `now`, ending soonest first. */
  async listSilences(now: Date): Promise<Silence[]> {
    const t = await this.open();
    const mutes = await this.currentMutes(t);
    const at = now.getTime();
    return mutes.silences.filter((s) => Date.parse(s.endsAt) > at);
  }

  /** Ends the silence whose id starts with `idPrefix` now; its findings are notified on the next sweep. */
  async removeSilence(idPrefix: string): Promise<Silence | StoreRefusal> {
    const t = await this.open();
    const mutes = await this.currentMutes(t);
    const hit = resolveIdPrefix(idPrefix, mutes.silences.map((s) => s.id));
    if ("error" in hit) {
      const ids = mutes.silences.map((s) => s.id).join(", ") || "none";
      return { error: `No single silence matches "${idPrefix.trim()}" (known silence ids: ${ids}). Give at least 6 characters of one id; the \`silences\` command lists them.` };
    }
    const silence = mutes.silences.find((s) => s.id === hit.id) as Silence;
    try {
      await t.mutes.deleteEntity("silence", silence.id);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw storeError("delete", err);
    }
    return silence;
  }

  private async putMute(m: Acknowledgement | Snooze | Silence): Promise<void> {
    const t = await this.open();
    try {
      await t.mutes.upsertEntity(encodeMute(m), "Replace");
    } catch (err) {
      throw storeError("write", err);
    }
  }
}
