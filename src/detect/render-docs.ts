/**
 * Generates docs/detectors.md from the catalog, so the docs cannot drift from the code. The caller
 * writes the returned text to the file (this layer does no I/O).
 */
import { PLAYBOOK } from "../playbook/playbook";
import { DETECTORS } from "./catalog";
import { defaultDetectConfig, type DetectConfig } from "./config";
import type { DefaultValue, Detector } from "./types";

function show(v: DefaultValue): string {
  return Array.isArray(v) ? v.join(", ") : String(v);
}

function section(d: Detector, config: DetectConfig): string {
  const lines = [`## ${d.title} (\`${d.id}\`)`, "", `Kinds: ${d.kinds.map((k) => `\`${k}\``).join(", ")}`, "", d.description, "", "| setting | default |", "|---|---|"];
  for (const [key, value] of Object.entries(d.defaults(config))) lines.push(`| \`${key}\` | ${show(value)} |`);
  if (d.notes && d.notes.length > 0) {
    lines.push("", "Facts behind the thresholds:", "");
    for (const n of d.notes) lines.push(`- ${n}`);
  }
  const entries = Object.entries(PLAYBOOK).filter(([key]) => d.kinds.some((k) => key === k || key.startsWith(`${k}:`)));
  if (entries.length > 0) {
    lines.push("", "Remediation playbook entries:", "");
    for (const [key, entry] of entries) lines.push(`- \`${key}\`: ${entry.situation} (${entry.steps.length} steps)`);
  }
  return lines.join("\n");
}

/** The Markdown of docs/detectors.md for the given (default) config. */
export function renderDetectorDocs(config: DetectConfig = defaultDetectConfig, detectors: readonly Detector[] = DETECTORS): string {
  const head = [
    "# Detectors",
    "",
    "<!-- Generated from src/detect/catalog.ts by renderDetectorDocs(); edit the detectors, not this file. -->",
    "",
    "Each detector is a pure function of the estate snapshot, telemetry, what earlier sweeps remembered and the current time. Rates are fractions (0.05 = 5%). Every finding carries at least two ordered remediation steps from `src/playbook/`.",
    "",
  ].join("\n");
  return `${head}\n${detectors.map((d) => section(d, config)).join("\n\n")}\n`;
}
