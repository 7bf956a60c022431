/**
 * The weekly hygiene report as a view model: counts, the change since last week, what to fix first,
 * sections per area, suppressions and the trend. Pure: the card, the HTML page and the JSON output
 * all render this one model.
 */
import type { Detection, Severity } from "../domain/finding";
import { SEVERITY_RANK } from "../domain/finding";
import { lastSegment } from "../domain/snapshot";
import { RULE_AREAS } from "./rule";
import { areaTitle } from "./render-docs";

/** A hygiene finding as one week's snapshot remembers it. */
export interface SnapshotEntry {
  id: string;
  severity: Severity;
  rule: string;
  resourceId: string;
  instance: string;
  /** The finding's title, so a fixed finding can still be named next week. */
  title?: string;
}

/** Open findings per severity at one report run. */
export interface TrendPoint {
  at: string;
  critical: number;
  warning: number;
  info: number;
}

/** What one report run stores so the next can compare. */
export interface ReportSnapshot {
  generatedAt: string;
  findings: SnapshotEntry[];
  /** Earlier runs' counts, oldest first, this run included last; capped at {@link TREND_WEEKS}. */
  trend: TrendPoint[];
}

/** A decision to stop reporting one rule on one resource until a date. */
export interface Suppression {
  rule: string;
  resourceId: string;
  reason: string;
  /** ISO time after which the finding is reported again. */
  expiresAt: string;
  createdBy?: string;
  createdAt?: string;
}

/** A suppression as the report lists it. */
export interface SuppressionView extends Suppression {
  expired: boolean;
  /** How many of this run's findings it hid. */
  matched: number;
}

/** One finding as the report shows it. */
export interface ReportItem {
  id: string;
  rule: string;
  area: string;
  severity: Severity;
  title: string;
  summary: string;
  resourceId: string;
  resourceName: string;
  /** Where the finding is, for people: `API orders policy`, `backend legacy-http`, ... */
  scope: string;
  instance: string;
  api?: string;
  line?: number;
  remediation: string[];
  /** New since the previous report, or still open from it. */
  isNew: boolean;
}

/** A rule to fix first: its worst severity and how many resources it hits. */
export interface TopRule {
  rule: string;
  title: string;
  severity: Severity;
  count: number;
  instances: string[];
  examples: string[];
  firstStep: string;
}

/** Counts by severity. */
export interface SeverityCounts {
  critical: number;
  warning: number;
  info: number;
  total: number;
}

/** One area's findings. */
export interface ReportSection {
  area: string;
  title: string;
  counts: SeverityCounts;
  items: ReportItem[];
}

/** Everything the weekly report shows. */
export interface ReportModel {
  generatedAt: string;
  totals: SeverityCounts;
  /** Instances checked, when the caller says; otherwise those with at least one finding. */
  instances: number;
  byArea: { area: string; title: string; counts: SeverityCounts }[];
  change: {
    /** When the compared report ran; undefined on the first report. */
    previousAt?: string;
    newIds: string[];
    fixed: SnapshotEntry[];
    stillOpenIds: string[];
  };
  topFive: TopRule[];
  sections: ReportSection[];
  /** Subscriptions and certificates that expire within their window, soonest first. */
  expiring: ReportItem[];
  suppressions: SuppressionView[];
  trend: TrendPoint[];
  /** What to store for next week. */
  snapshot: ReportSnapshot;
}

/** How many weekly points the trend keeps. */
export const TREND_WEEKS = 26;

function counts(items: { severity: Severity }[]): SeverityCounts {
  const c: SeverityCounts = { critical: 0, warning: 0, info: 0, total: items.length };
  for (const i of items) c[i.severity]++;
  return c;
}

/** `APIM.Policy.MissingBase` → `Policy`. */
export function areaOf(rule: string | undefined): string {
  return rule?.split(".")[1] ?? "Other";
}

function bySeverityThenName(a: ReportItem, b: ReportItem): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.instance.localeCompare(b.instance) || a.rule.localeCompare(b.rule) || a.resourceName.localeCompare(b.resourceName);
}

function suppressionKey(rule: string, resourceId: string): string {
  return `${rule}\u0000${resourceId.toLowerCase()}`;
}

function expiringDays(d: Detection): number {
  const hit = (d.evidence.hits as { daysLeft?: number }[] | undefined)?.[0];
  return typeof hit?.daysLeft === "number" ? hit.daysLeft : Number.MAX_SAFE_INTEGER;
}

/**
 * Builds the report from this run's hygiene detections, the previous run's snapshot (if any) and the
 * suppressions. Suppressions whose expiry has passed stop hiding findings but stay listed.
 */
export function buildReport(
  detections: readonly Detection[],
  previous: ReportSnapshot | undefined,
  suppressions: readonly Suppression[],
  now: Date,
  options: { expiringRules?: readonly string[]; instancesChecked?: number } = {},
): ReportModel {
  const nowMs = now.getTime();
  const active = new Map<string, SuppressionView>();
  const views: SuppressionView[] = suppressions.map((s) => {
    const expiresMs = Date.parse(s.expiresAt);
    const view: SuppressionView = { ...s, expired: Number.isNaN(expiresMs) || expiresMs <= nowMs, matched: 0 };
    if (!view.expired) active.set(suppressionKey(s.rule, s.resourceId), view);
    return view;
  });

  const hygiene = detections.filter((d) => d.kind === "hygiene" && d.rule !== undefined);
  const open: Detection[] = [];
  for (const d of hygiene) {
    const s = active.get(suppressionKey(d.rule as string, d.resourceId));
    if (s !== undefined) s.matched++;
    else open.push(d);
  }

  const previousIds = new Set(previous?.findings.map((f) => f.id) ?? []);
  const currentIds = new Set(hygiene.map((d) => d.id));
  const items: ReportItem[] = open.map((d) => {
    const { line, scope } = d.evidence as { line?: unknown; scope?: unknown };
    return {
      id: d.id,
      rule: d.rule as string,
      area: areaOf(d.rule),
      severity: d.severity,
      title: d.title,
      summary: d.summary,
      resourceId: d.resourceId,
      resourceName: lastSegment(d.resourceId),
      scope: typeof scope === "string" ? scope : lastSegment(d.resourceId),
      instance: d.instance,
      ...(d.api !== undefined ? { api: d.api } : {}),
      ...(typeof line === "number" ? { line } : {}),
      remediation: d.remediation,
      isNew: previous !== undefined && !previousIds.has(d.id),
    };
  });
  items.sort(bySeverityThenName);

  const areas = [...RULE_AREAS, ...new Set(items.map((i) => i.area).filter((a) => !(RULE_AREAS as readonly string[]).includes(a)))];
  const sections: ReportSection[] = areas
    .map((area) => {
      const inArea = items.filter((i) => i.area === area);
      return { area, title: areaTitle(area), counts: counts(inArea), items: inArea };
    })
    .filter((s) => s.items.length > 0);

  const groups = new Map<string, ReportItem[]>();
  for (const i of items) groups.set(i.rule, [...(groups.get(i.rule) ?? []), i]);
  const topFive: TopRule[] = [...groups.entries()]
    .map(([rule, list]) => {
      const worst = list.reduce<Severity>((s, i) => (SEVERITY_RANK[i.severity] > SEVERITY_RANK[s] ? i.severity : s), "info");
      const first = list[0] as ReportItem;
      return {
        rule,
        title: first.title.split(":")[0] ?? first.title,
        severity: worst,
        count: list.length,
        instances: [...new Set(list.map((i) => i.instance))].sort(),
        examples: list.slice(0, 3).map((i) => `${i.scope} on ${i.instance}`),
        firstStep: first.remediation[0] ?? "",
      };
    })
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.count - a.count || b.instances.length - a.instances.length || a.rule.localeCompare(b.rule))
    .slice(0, 5);

  const expiringRules = new Set(options.expiringRules ?? ["APIM.Subscription.Expiring", "APIM.Instance.CertificateExpiring"]);
  const byId = new Map(open.map((d) => [d.id, d]));
  const expiring = items
    .filter((i) => expiringRules.has(i.rule))
    .sort((a, b) => expiringDays(byId.get(a.id) as Detection) - expiringDays(byId.get(b.id) as Detection) || a.resourceName.localeCompare(b.resourceName));

  const totals = counts(items);
  const point: TrendPoint = { at: now.toISOString(), critical: totals.critical, warning: totals.warning, info: totals.info };
  const trend = [...(previous?.trend ?? []), point].slice(-TREND_WEEKS);
  const snapshot: ReportSnapshot = {
    generatedAt: now.toISOString(),
    // Suppressed findings are kept too, so one whose suppression lapses is not reported as new.
    findings: hygiene.map((d) => ({ id: d.id, severity: d.severity, rule: d.rule as string, resourceId: d.resourceId, instance: d.instance, title: d.title })),
    trend,
  };

  return {
    generatedAt: now.toISOString(),
    totals,
    instances: options.instancesChecked ?? new Set(hygiene.map((d) => d.instanceId.toLowerCase())).size,
    byArea: sections.map((s) => ({ area: s.area, title: s.title, counts: s.counts })),
    change: {
      ...(previous !== undefined ? { previousAt: previous.generatedAt } : {}),
      newIds: previous === undefined ? [] : items.filter((i) => i.isNew).map((i) => i.id),
      // A finding only suppressed this week is not fixed, so compare against every detection.
      fixed: (previous?.findings ?? []).filter((f) => !currentIds.has(f.id)),
      stillOpenIds: items.filter((i) => previousIds.has(i.id)).map((i) => i.id),
    },
    topFive,
    sections,
    expiring,
    suppressions: views.sort((a, b) => Number(a.expired) - Number(b.expired) || a.expiresAt.localeCompare(b.expiresAt)),
    trend,
    snapshot,
  };
}
