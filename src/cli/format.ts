import type { Finding, Severity } from "../domain/finding";
import type { InstanceMemory } from "../domain/prior";
import type { Diagnosis } from "../notify/views";
import type { InstanceSummary } from "../app/sweep";

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** Findings for a terminal: most severe first, each with its cause and numbered steps. */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "No findings.\n";
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.instance.localeCompare(b.instance) || a.title.localeCompare(b.title));
  const lines: string[] = [];
  for (const f of sorted) {
    lines.push(`${pad(f.severity.toUpperCase(), 9)}${pad(f.status === "firing" ? f.change : `${f.change}, ${f.status}`, 12)}${f.title}`);
    lines.push(`         id ${f.id.slice(0, 10)}  ${f.kind}${f.cause ? `  cause ${f.cause}` : ""}  on ${f.instance}${f.api ? `/${f.api}` : ""}`);
    if (f.status !== "resolved") f.remediation.slice(0, 3).forEach((step, i) => lines.push(`         ${i + 1}. ${step}`));
    lines.push("");
  }
  return lines.join("\n");
}

/** One line of counts: "9 open (2 critical, 4 warning, 3 info), 1 resolved". */
export function countLine(findings: readonly Finding[]): string {
  const open = findings.filter((f) => f.status !== "resolved");
  const by = (s: Severity) => open.filter((f) => f.severity === s).length;
  const resolved = findings.length - open.length;
  return `${open.length} open (${by("critical")} critical, ${by("warning")} warning, ${by("info")} info), ${resolved} resolved`;
}

/** `--stats`: calls by API, then when each instance was last read well. */
export function formatStats(stats: Record<string, number>, wallMs: number, instances: readonly InstanceMemory[]): string {
  const lines = ["Azure calls by API:"];
  const entries = Object.entries(stats).sort(([a], [b]) => a.localeCompare(b));
  const total = entries.filter(([k]) => k !== "retries" && k !== "throttled").reduce((n, [, v]) => n + v, 0);
  for (const [name, count] of entries) lines.push(`  ${pad(name, 34)}${count}`);
  lines.push(`  ${pad("total", 34)}${total}`);
  lines.push(`Wall time: ${(wallMs / 1000).toFixed(2)} s`);
  if (instances.length > 0) {
    lines.push("Instances, last read successfully:");
    for (const m of instances) lines.push(`  ${pad(m.instance, 34)}${m.lastReadOk ?? "never"}${m.lastFailureAt && (!m.lastReadOk || m.lastFailureAt > m.lastReadOk) ? `  (failing since ${m.lastFailureAt}${m.lastFailureStatus ? `, HTTP ${m.lastFailureStatus}` : ""})` : ""}`);
  }
  return lines.join("\n") + "\n";
}

/** A diagnosis for a terminal. */
export function formatDiagnosis(d: Diagnosis): string {
  const lines = [`${d.api} on ${d.instance}: layer at fault: ${d.layer}`, ""];
  if (d.verdict) lines.push(d.verdict, "");
  for (const f of d.findings) {
    lines.push(`- [${f.severity}] ${f.title}`);
    f.remediation.slice(0, 4).forEach((s, i) => lines.push(`    ${i + 1}. ${s}`));
  }
  if (d.remediation && d.remediation.length > 0) {
    lines.push("", "Fix:");
    d.remediation.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  }
  lines.push("", "Evidence:");
  for (const [key, value] of Object.entries(d.evidence)) {
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
      lines.push(`  ${key}:${value.length === 0 ? " none" : ""}`);
      for (const v of value) lines.push(`    - ${v}`);
    } else lines.push(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  return lines.join("\n") + "\n";
}

/** The estate as a sweep read it: one line per instance with the last 15 minutes' 5xx and 401 rates. */
export function formatEstate(summary: readonly InstanceSummary[]): string {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  const lines = [`${pad("instance", 26)}${pad("tier", 12)}${pad("state", 11)}${pad("APIs", 6)}${pad("subs", 6)}${pad("req/15m", 9)}${pad("5xx", 7)}401`];
  for (const s of summary) {
    lines.push(
      `${pad(s.instance, 26)}${pad(s.sku, 12)}${pad(s.provisioningState, 11)}${pad(s.apis === undefined ? "-" : String(s.apis), 6)}${pad(s.subscriptions === undefined ? "-" : String(s.subscriptions), 6)}${pad(String(s.requests15m), 9)}${pad(pct(s.rate5xx), 7)}${pct(s.rate401)}${s.readFailures > 0 ? `  (${s.readFailures} part(s) unreadable)` : ""}`,
    );
  }
  return lines.join("\n") + "\n";
}
