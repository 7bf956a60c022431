/**
 * The answer to `diagnose <api>` as an Adaptive Card: the layer at fault, the verdict, the evidence and
 * the fix. Pure.
 */
import { cardBytes, CARD_BYTE_LIMIT, emptyCard, type AdaptiveCard, type CardElement } from "./card-types";
import { clip, evidenceFacts, formatUtc, KIND_LABEL, SEVERITY_COLOR, SEVERITY_WORD } from "./card-format";
import { scrubStrings, scrubValue } from "./scrub-secrets";
import type { Diagnosis } from "./views";

const LAYER_LABEL: Record<Diagnosis["layer"], string> = {
  gateway: "Gateway (requests at runtime)",
  management: "Management plane (configuration and provisioning)",
  portal: "Developer portal",
};

/** The diagnosis card. `limit` caps how many evidence facts and findings are listed before "and N more". */
export function diagnosisCard(d: Diagnosis, limit = 12): AdaptiveCard {
  for (let max = limit; max >= 0; max = max === 0 ? -1 : Math.floor(max / 2)) {
    const card = scrubStrings(build(d, max));
    if (cardBytes(card) <= CARD_BYTE_LIMIT || max === 0) return card;
  }
  return scrubStrings(build(d, 0));
}

function build(d: Diagnosis, max: number): AdaptiveCard {
  const card = emptyCard();
  const worst = d.findings.find((f) => f.severity === "critical") ?? d.findings[0];
  card.body.push({
    type: "Container",
    style: worst ? (worst.severity === "critical" ? "attention" : worst.severity === "warning" ? "warning" : "accent") : "good",
    bleed: true,
    items: [
      { type: "TextBlock", text: `Diagnosis · ${d.api} on ${d.instance}`, weight: "Bolder", size: "Medium", wrap: true },
      { type: "TextBlock", text: `Layer at fault: ${LAYER_LABEL[d.layer]}`, weight: "Bolder", wrap: true, spacing: "Small" },
    ],
  });
  const verdict = d.verdict ?? (worst ? worst.summary : "No problem found on this API right now.");
  card.body.push({ type: "TextBlock", text: clip(verdict, 800), wrap: true });

  const facts = evidenceFacts(scrubValue(d.evidence) as Record<string, unknown>);
  if (facts.length > 0) {
    card.body.push({ type: "TextBlock", text: "Evidence", weight: "Bolder", spacing: "Medium" });
    card.body.push({ type: "FactSet", facts: facts.slice(0, max) });
    if (facts.length > max) card.body.push({ type: "TextBlock", text: `and ${facts.length - max} more`, isSubtle: true, spacing: "None" });
  }

  if (d.findings.length > 0) {
    card.body.push({ type: "TextBlock", text: "Findings", weight: "Bolder", spacing: "Medium" });
    const shown = d.findings.slice(0, Math.max(1, max));
    for (const f of shown) {
      const items: CardElement[] = [
        { type: "TextBlock", text: `${SEVERITY_WORD[f.severity]} · ${KIND_LABEL[f.kind]}`, color: SEVERITY_COLOR[f.severity], weight: "Bolder", size: "Small" },
        { type: "TextBlock", text: f.title, wrap: true, spacing: "None" },
        { type: "TextBlock", text: `Alert id ${f.id}, first seen ${formatUtc(f.firstSeen)}`, isSubtle: true, size: "Small", spacing: "None" },
      ];
      card.body.push({ type: "Container", separator: true, items });
    }
    if (d.findings.length > shown.length) card.body.push({ type: "TextBlock", text: `and ${d.findings.length - shown.length} more`, isSubtle: true });
  }

  const steps = d.remediation && d.remediation.length > 0 ? d.remediation : (worst?.remediation ?? []);
  if (steps.length > 0) {
    card.body.push({ type: "TextBlock", text: "What to do", weight: "Bolder", spacing: "Medium" });
    const shownSteps = steps.slice(0, Math.max(2, max));
    shownSteps.forEach((s, i) => card.body.push({ type: "TextBlock", text: `${i + 1}. ${s}`, wrap: true, spacing: "Small" }));
    if (steps.length > shownSteps.length) card.body.push({ type: "TextBlock", text: `and ${steps.length - shownSteps.length} more`, isSubtle: true });
  }
  if (worst?.portalUrl) card.actions = [{ type: "Action.OpenUrl", title: "Open in Azure portal", url: worst.portalUrl }];
  return card;
}
