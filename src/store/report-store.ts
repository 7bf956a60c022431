/**
 * Weekly hygiene report snapshots and suppressions, in Table Storage, so each report compares with
 * the one before and suppressions outlive a restart.
 *
 * Layout of the `hygienereports` table: one partition per run (`run-<time>`) with a header row and one
 * row per finding (rows stay small however many findings there are), plus an index partition whose row
 * keys sort newest first. Suppressions live in `hygienesuppressions`, keyed by a hash of rule and resource.
 */
import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import { fnv1a64 } from "../domain/fingerprint";
import type { Severity } from "../domain/finding";
import type { ReportSnapshot, SnapshotEntry, Suppression, TrendPoint } from "../hygiene/report";
import { openTable, type StorageSettings } from "./table-client";

const INDEX = "index";
const HEADER = "!run";
// Table transactions take at most 100 operations, all in one partition.
const BATCH = 100;
const MAX_TIME = 9_999_999_999_999;

/** `2026-11-23T08:00:00.000Z` → `20261123T080000000Z`: a key that sorts by time and holds no forbidden character. */
function runKey(iso: string): string {
  return iso.replace(/[-:.]/g, "");
}

/** Newest first when sorted ascending, as Table Storage returns rows. */
function invertedKey(iso: string): string {
  return String(MAX_TIME - Date.parse(iso)).padStart(13, "0");
}

function suppressionRow(rule: string, resourceId: string): string {
  return fnv1a64(`${rule}\u0000${resourceId.toLowerCase()}`);
}

/** Reads and writes report snapshots and suppressions. */
export class ReportStore {
  constructor(
    private readonly reports: TableClient,
    private readonly suppressions: TableClient,
  ) {}

  /** A store on the configured account, creating its tables if needed. */
  static async open(storage: StorageSettings, tables: { reports?: string; suppressions?: string } = {}): Promise<ReportStore> {
    const [reports, suppressions] = await Promise.all([openTable(storage, tables.reports ?? "hygienereports"), openTable(storage, tables.suppressions ?? "hygienesuppressions")]);
    return new ReportStore(reports, suppressions);
  }

  /** Stores one run's snapshot. The index row goes last, so a half-written run is never read back. */
  async saveSnapshot(snapshot: ReportSnapshot): Promise<void> {
    const pk = `run-${runKey(snapshot.generatedAt)}`;
    const rows: TransactionAction[] = snapshot.findings.map((f) => [
      "upsert",
      { partitionKey: pk, rowKey: f.id, severity: f.severity, rule: f.rule, resourceId: f.resourceId, instance: f.instance, title: f.title ?? "" },
      "Replace",
    ]);
    rows.push(["upsert", { partitionKey: pk, rowKey: HEADER, generatedAt: snapshot.generatedAt, count: snapshot.findings.length, trend: JSON.stringify(snapshot.trend) }, "Replace"]);
    for (let i = 0; i < rows.length; i += BATCH) await this.reports.submitTransaction(rows.slice(i, i + BATCH));
    await this.reports.upsertEntity({ partitionKey: INDEX, rowKey: invertedKey(snapshot.generatedAt), run: pk, generatedAt: snapshot.generatedAt }, "Replace");
  }

  /** The newest snapshot stored strictly before `before` (default: the newest of all). */
  async latestSnapshot(before?: Date): Promise<ReportSnapshot | undefined> {
    const filter = before === undefined ? odata`PartitionKey eq ${INDEX}` : odata`PartitionKey eq ${INDEX} and RowKey gt ${invertedKey(before.toISOString())}`;
    const pages = this.reports.listEntities<{ run: string; generatedAt: string }>({ queryOptions: { filter } }).byPage({ maxPageSize: 1 });
    for await (const page of pages) {
      const head = page[0];
      if (head !== undefined) return this.readRun(head.run);
      // An empty page can come with a continuation token; keep paging.
    }
    return undefined;
  }

  /** Deletes the runs generated before `cutoff` (their index rows last), keeping the trend in newer runs. Returns how many went. */
  async deleteSnapshotsBefore(cutoff: Date): Promise<number> {
    const old: { rowKey: string; run: string }[] = [];
    for await (const row of this.reports.listEntities<{ run: string }>({ queryOptions: { filter: odata`PartitionKey eq ${INDEX} and RowKey gt ${invertedKey(cutoff.toISOString())}` } })) {
      old.push({ rowKey: String(row.rowKey), run: row.run });
    }
    for (const { rowKey, run } of old) {
      const rows: TransactionAction[] = [];
      for await (const r of this.reports.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${run}`, select: ["RowKey"] } })) {
        rows.push(["delete", { partitionKey: run, rowKey: String(r.rowKey) }]);
      }
      for (let i = 0; i < rows.length; i += BATCH) await this.reports.submitTransaction(rows.slice(i, i + BATCH));
      await this.reports.deleteEntity(INDEX, rowKey);
    }
    return old.length;
  }

  private async readRun(pk: string): Promise<ReportSnapshot | undefined> {
    const findings: SnapshotEntry[] = [];
    let generatedAt: string | undefined;
    let trend: TrendPoint[] = [];
    for await (const row of this.reports.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${pk}` } })) {
      if (row.rowKey === HEADER) {
        generatedAt = String(row.generatedAt);
        trend = parseTrend(row.trend);
      } else {
        findings.push({
          id: String(row.rowKey),
          severity: String(row.severity) as Severity,
          rule: String(row.rule),
          resourceId: String(row.resourceId),
          instance: String(row.instance),
          ...(typeof row.title === "string" && row.title !== "" ? { title: row.title } : {}),
        });
      }
    }
    return generatedAt === undefined ? undefined : { generatedAt, findings, trend };
  }

  /** Adds or replaces the suppression for its rule and resource. */
  async putSuppression(s: Suppression): Promise<void> {
    await this.suppressions.upsertEntity(
      {
        partitionKey: "suppression",
        rowKey: suppressionRow(s.rule, s.resourceId),
        rule: s.rule,
        resourceId: s.resourceId,
        reason: s.reason,
        expiresAt: s.expiresAt,
        createdBy: s.createdBy ?? "",
        createdAt: s.createdAt ?? "",
      },
      "Replace",
    );
  }

  /** Removes a suppression; false when there was none. */
  async removeSuppression(rule: string, resourceId: string): Promise<boolean> {
    try {
      await this.suppressions.deleteEntity("suppression", suppressionRow(rule, resourceId));
      return true;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return false;
      throw err;
    }
  }

  /** Every suppression, expired ones included: the report lists them so they are not forgotten. */
  async listSuppressions(): Promise<Suppression[]> {
    const out: Suppression[] = [];
    for await (const row of this.suppressions.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${"suppression"}` } })) {
      out.push({
        rule: String(row.rule),
        resourceId: String(row.resourceId),
        reason: String(row.reason),
        expiresAt: String(row.expiresAt),
        ...(typeof row.createdBy === "string" && row.createdBy !== "" ? { createdBy: row.createdBy } : {}),
        ...(typeof row.createdAt === "string" && row.createdAt !== "" ? { createdAt: row.createdAt } : {}),
      });
    }
    return out.sort((a, b) => a.rule.localeCompare(b.rule) || a.resourceId.localeCompare(b.resourceId));
  }
}

function parseTrend(value: unknown): TrendPoint[] {
  if (typeof value !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as TrendPoint[]) : [];
  } catch {
    return [];
  }
}
