/**
 * Generates docs/rules.md from the catalog, so the page and the rules cannot drift apart. A test
 * compares the committed page with this output; `npx vitest run test/hygiene/catalog.test.ts -u`
 * rewrites it after a rule changes.
 */
import type { HygieneRule } from "./rule";
import { RULE_AREAS } from "./rule";

const AREA_TITLES: Record<string, string> = {
  Policy: "Policies (every scope)",
  Api: "APIs",
  Product: "Products",
  Subscription: "Subscriptions",
  Backend: "Backends",
  NamedValue: "Named values",
  Diagnostic: "Diagnostics",
  Instance: "Instance",
};

/** The heading people see for an area. */
export function areaTitle(area: string): string {
  return AREA_TITLES[area] ?? area;
}

// Policy element names such as <base /> would otherwise vanish into the rendered page as HTML.
function md(text: string): string {
  return text.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** Renders the Markdown page for the given rules (the whole catalog in docs/rules.md). */
export function renderRulesDoc(rules: readonly HygieneRule[]): string {
  const out: string[] = [];
  out.push("# apimbot hygiene rules", "");
  out.push("<!-- Generated from src/hygiene/catalog.ts by renderRulesDoc (src/hygiene/render-docs.ts). Do not edit by hand. -->", "");
  out.push(
    "The weekly hygiene report runs these rules over the live configuration of every instance. Each finding",
    "has the id `fingerprint(\"hygiene\", resourceId, ruleId)`, so the same problem on the same resource keeps",
    "its id from week to week. Findings can be suppressed per rule and resource, with a reason and an expiry.",
    "",
  );
  out.push("| rule | severity | title |", "|---|---|---|");
  for (const r of rules) out.push(`| [${r.id}](#${anchor(r.id)}) | ${r.severity} | ${md(r.title)} |`);
  out.push("");
  for (const area of RULE_AREAS) {
    const inArea = rules.filter((r) => r.area === area);
    if (inArea.length === 0) continue;
    out.push(`## ${areaTitle(area)}`, "");
    for (const r of inArea) {
      out.push(`### ${r.id}`, "");
      out.push(`**${md(r.title)}** · severity: ${r.severity}${r.expiring === true ? " · also listed under \"expiring soon\"" : ""}`, "");
      out.push(md(r.rationale), "");
      out.push("Recommendation:", "");
      r.remediation.forEach((step, i) => out.push(`${i + 1}. ${md(step)}`));
      out.push("");
      if (r.config !== undefined) {
        out.push("Configuration (defaults):", "");
        for (const [k, v] of Object.entries(r.config)) out.push(`- \`${k}\`: ${v}`);
        out.push("");
      }
      out.push(`Learn more: <${r.docs}>`, "");
    }
  }
  return out.join("\n");
}
