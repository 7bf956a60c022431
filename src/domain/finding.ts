/**
 * A finding: one problem on one resource, as CONTRACT.md defines it.
 */

export const FINDING_KINDS = [
  "provisioning-stuck",
  "provisioning-failed",
  "subscription-expiring",
  "subscription-expired",
  "subscription-suspended",
  "gateway-5xx-spike",
  "auth-failure-burst",
  "certificate-expiring",
  "keyvault-refresh-failed",
  "collection-failed",
  "hygiene",
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export type Severity = "critical" | "warning" | "info";

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export type FindingStatus = "firing" | "acknowledged" | "snoozed" | "silenced" | "resolved";

export type FindingChange = "new" | "ongoing" | "escalated" | "resolved";

/** A chart-ready series: one value per time grain. */
export interface SeriesPoint {
  time: string;
  value: number;
}

/**
 * What a detector or rule emits. Triage turns it into a {@link Finding} by adding status, change and
 * the first/last seen times.
 */
export interface Detection {
  /** Fingerprint of kind + resourceId (+ cause for auth bursts); see `fingerprint.ts`. */
  id: string;
  kind: FindingKind;
  /** Hygiene rule id, e.g. `APIM.Policy.MissingBase`. */
  rule?: string;
  severity: Severity;
  resourceId: string;
  instance: string;
  /** ARM id of the instance, for routing and grouping. */
  instanceId: string;
  subscriptionId: string;
  resourceGroup: string;
  api?: string;
  cause?: string;
  title: string;
  summary: string;
  /** Numbers and records that support the finding. Never a secret value. */
  evidence: Record<string, unknown>;
  remediation: string[];
  /** Azure portal deep link to the blade that fixes it, where one exists. */
  portalUrl?: string;
  /** For `gateway-5xx-spike` and `auth-failure-burst`: the rate series for a chart. */
  series?: SeriesPoint[];
  /** Detector memory for the next sweep (e.g. baseline, reminder rung); triage stores it as `PriorFinding.memo`. */
  memo?: Record<string, unknown>;
}

/** A finding as the sweep reports it (`--json`). */
export interface Finding extends Detection {
  status: FindingStatus;
  change: FindingChange;
  firstSeen: string;
  lastSeen: string;
  /** Display name of whoever acknowledged it, shown in the card footer. */
  acknowledgedBy?: string;
  /** ISO time of the acknowledgement. */
  acknowledgedAt?: string;
  /** ISO time a snooze or silence holds the finding until. */
  snoozedUntil?: string;
  /** ISO time the finding was seen resolved. */
  resolvedAt?: string;
}

/** The higher of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}
