/**
 * Small text helpers shared by the card builders. Pure: times arrive as ISO strings.
 */
import type { FindingKind, FindingStatus, SeriesPoint, Severity } from "../domain/finding";

/** Words a person reads at a glance, per severity. */
export const SEVERITY_WORD: Record<Severity, string> = { critical: "CRITICAL", warning: "WARNING", info: "INFO" };

/** Adaptive Card container style per severity. */
export const SEVERITY_STYLE: Record<Severity, string> = { critical: "attention", warning: "warning", info: "accent" };

/** Adaptive Card text colour per severity. */
export const SEVERITY_COLOR: Record<Severity, string> = { critical: "attention", warning: "warning", info: "accent" };

/** Short human names for finding kinds. */
export const KIND_LABEL: Record<FindingKind, string> = {
  "provisioning-stuck": "Provisioning stuck",
  "provisioning-failed": "Provisioning failed",
  "subscription-expiring": "Subscription expiring",
  "subscription-expired": "Subscription expired",
  "subscription-suspended": "Subscription suspended",
  "gateway-5xx-spike": "5xx spike",
  "auth-failure-burst": "Auth failure burst",
  "certificate-expiring": "Certificate expiring",
  "keyvault-refresh-failed": "Key Vault refresh failed",
  "collection-failed": "Could not read instance",
  hygiene: "Configuration hygiene",
};

/** Status words for the facts. */
export const STATUS_LABEL: Record<FindingStatus, string> = {
  firing: "Firing",
  acknowledged: "Acknowledged",
  snoozed: "Snoozed",
  silenced: "Silenced",
  resolved: "Resolved",
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "14:02 UTC on 27 Nov 2026"; the input is returned as is when it is not a time. */
export function formatUtc(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${hh}:${mm} UTC on ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "14:02" in UTC, for chart axes. */
export function formatClock(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}

/** Cuts text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

const BARS = "▁▂▃▄▅▆▇█";

/** A one-line text chart of a series, for clients that cannot draw `Chart.Line`. */
export function sparkline(series: readonly SeriesPoint[]): string {
  if (series.length === 0) return "";
  const values = series.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  return values.map((v) => BARS[span === 0 ? 0 : Math.round(((v - min) / span) * (BARS.length - 1))] ?? "▁").join("");
}

/** A number for people: at most 3 significant decimals, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
  const [whole, frac] = String(rounded).split(".");
  const grouped = (whole ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac ? `${grouped}.${frac}` : grouped;
}

/** Evidence as "name: value" facts, skipping nested records that do not read well in one line. */
export function evidenceFacts(evidence: Record<string, unknown>): { title: string; value: string }[] {
  const facts: { title: string; value: string }[] = [];
  for (const [key, raw] of Object.entries(evidence)) {
    const value = factValue(raw);
    if (value !== undefined) facts.push({ title: humanize(key), value });
  }
  return facts;
}

function factValue(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === "number") return formatNumber(raw);
  if (typeof raw === "string") return clip(raw, 200);
  if (typeof raw === "boolean") return raw ? "yes" : "no";
  if (Array.isArray(raw)) {
    const items = raw.map((r) => (typeof r === "object" && r !== null ? compactObject(r as Record<string, unknown>) : factValue(r))).filter((s): s is string => !!s);
    if (items.length === 0) return undefined;
    const shown = clip(items.slice(0, 5).join("; "), 260);
    return items.length > 5 ? `${shown}; and ${items.length - 5} more` : shown;
  }
  if (typeof raw === "object") return clip(compactObject(raw as Record<string, unknown>), 300);
  return undefined;
}

function compactObject(obj: Record<string, unknown>): string {
  return Object.entries(obj)
    .filter(([, v]) => v === null || typeof v !== "object")
    .map(([k, v]) => `${k}=${typeof v === "number" ? formatNumber(v) : String(v)}`)
    .join(", ");
}

/** "backendUrl" → "Backend url". */
export function humanize(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}
