/**
 * The weekly hygiene report as a Teams summary card: counts, the change since last week, the five
 * things to fix first, and one collapsed section per area. Pure: report model in, card JSON out.
 */
import type { Severity } from "../domain/finding";
import type { ReportItem, ReportModel } from "../hygiene/report";
import { CARD_BYTE_LIMIT, cardBytes, emptyCard, type AdaptiveCard, type CardElement } from "./card-types";
import { clip, formatUtc, SEVERITY_COLOR, SEVERITY_WORD } from "./card-format";
import { scrubText } from "./scrub-secrets";

/** Options for {@link buildReportCard}. */
export interface ReportCardOptions {
  /** Where the full HTML report can be opened, when it is published somewhere. */
  reportUrl?: string;
  /** Byte budget for the card JSON; Teams refuses messages much above 28 KB. */
  maxBytes?: number;
}

const text = (t: string, extra: Record<string, unknown> = {}): CardElement => ({ type: "TextBlock", text: scrubText(t), wrap: true, ...extra });

function countColumn(label: string, n: number, color: string): CardElement {
  return {
    type: "Column",
    width: "stretch",
    items: [text(String(n), { size: "ExtraLarge", weight: "Bolder", color, horizontalAlignment: "Center", spacing: "None" }), text(label, { isSubtle: true, horizontalAlignment: "Center", spacing: "None" })],
  };
}

function itemLine(i: ReportItem, width: number): string {
  const where = `${i.instance} · ${i.scope}${i.line !== undefined ? `, line ${i.line}` : ""}`;
  return clip(`**${SEVERITY_WORD[i.severity]}**${i.isNew ? " (new)" : ""} ${where}: ${i.summary}`, width);
}

function sectionId(area: string): string {
  return `section-${area.replace(/[^A-Za-z0-9]/g, "")}`;
}

/** One layout attempt; {@link buildReportCard} shrinks the limits until the card fits. */
function layout(model: ReportModel, perSection: number, width: number, options: ReportCardOptions): AdaptiveCard {
  const card = emptyCard();
  const t = model.totals;
  card.body.push(
    text("Weekly APIM hygiene report", { size: "Large", weight: "Bolder" }),
    text(`${formatUtc(model.generatedAt)} · ${model.instances} instance(s) checked · ${t.total} open finding(s)`, { isSubtle: true, spacing: "None" }),
    { type: "ColumnSet", columns: [countColumn("critical", t.critical, "Attention"), countColumn("warning", t.warning, "Warning"), countColumn("info", t.info, "Accent")] },
  );

  const c = model.change;
  card.body.push(text("Since last week", { weight: "Bolder", spacing: "Medium" }));
  if (c.previousAt === undefined) {
    card.body.push(text("This is the first report: next week's will show what changed.", { isSubtle: true }));
  } else {
    card.body.push({
      type: "FactSet",
      facts: [
        { title: "New", value: String(c.newIds.length) },
        { title: "Fixed", value: String(c.fixed.length) },
        { title: "Still open", value: String(c.stillOpenIds.length) },
        { title: "Compared with", value: formatUtc(c.previousAt) },
      ],
    });
  }

  if (model.byArea.length > 0) {
    card.body.push({
      type: "FactSet",
      spacing: "Small",
      facts: model.byArea.map((a) => ({ title: a.title, value: `${a.counts.critical} critical · ${a.counts.warning} warning · ${a.counts.info} info` })),
    });
  }

  if (model.topFive.length > 0) {
    card.body.push(text("Fix these first", { weight: "Bolder", spacing: "Medium" }));
    model.topFive.forEach((r, n) => {
      card.body.push(
        text(clip(`${n + 1}. **${SEVERITY_WORD[r.severity]}** ${r.title} (${r.count} resource(s) on ${r.instances.length} instance(s))`, width), { color: SEVERITY_COLOR[r.severity as Severity], spacing: "Small" }),
        text(clip(`${r.firstStep} Rule ${r.rule}; for example ${r.examples.join("; ")}.`, width), { isSubtle: true, spacing: "None", size: "Small" }),
      );
    });
  }

  if (model.expiring.length > 0) {
    const shown = model.expiring.slice(0, Math.max(perSection, 1));
    card.body.push(text("Expiring within 30 days", { weight: "Bolder", spacing: "Medium" }));
    for (const i of shown) card.body.push(text(itemLine(i, width), { spacing: "Small", size: "Small" }));
    if (model.expiring.length > shown.length) card.body.push(text(`and ${model.expiring.length - shown.length} more`, { isSubtle: true, spacing: "None", size: "Small" }));
  }

  for (const s of model.sections) {
    const id = sectionId(s.area);
    const shown = s.items.slice(0, perSection);
    const items: CardElement[] = shown.map((i) => text(itemLine(i, width), { size: "Small", spacing: "Small" }));
    if (s.items.length > shown.length) items.push(text(`and ${s.items.length - shown.length} more (see the full report)`, { isSubtle: true, size: "Small" }));
    card.body.push(
      {
        type: "ActionSet",
        spacing: "Small",
        actions: [{ type: "Action.ToggleVisibility", title: `${s.title}: ${s.counts.total} (${s.counts.critical} critical)`, targetElements: [id] }],
      },
      { type: "Container", id, isVisible: false, items },
    );
  }

  const active = model.suppressions.filter((x) => !x.expired);
  const lapsed = model.suppressions.filter((x) => x.expired);
  if (model.suppressions.length > 0) {
    card.body.push(
      text(`Suppressed: ${active.length} active (hiding ${active.reduce((n, x) => n + x.matched, 0)} finding(s)), ${lapsed.length} expired and reporting again.`, { isSubtle: true, spacing: "Medium", size: "Small" }),
    );
    for (const x of active.slice(0, Math.min(perSection, 5))) {
      card.body.push(text(clip(`${x.rule} on ${x.resourceId.split("/").pop() ?? x.resourceId} until ${x.expiresAt.slice(0, 10)}: ${x.reason}`, width), { isSubtle: true, size: "Small", spacing: "None" }));
    }
  }

  if (options.reportUrl !== undefined) card.actions = [{ type: "Action.OpenUrl", title: "Open the full report", url: options.reportUrl }];
  return card;
}

/** Builds the summary card, cutting each section with "and N more" until it fits the byte budget. */
export function buildReportCard(model: ReportModel, options: ReportCardOptions = {}): AdaptiveCard {
  const budget = options.maxBytes ?? CARD_BYTE_LIMIT - 1024;
  const steps: [number, number][] = [
    [15, 220],
    [10, 180],
    [6, 160],
    [4, 140],
    [2, 120],
    [1, 100],
    [0, 100],
  ];
  let card = layout(model, 0, 100, options);
  for (const [perSection, width] of steps) {
    card = layout(model, perSection, width, options);
    if (cardBytes(card) <= budget) return card;
  }
  return card;
}
