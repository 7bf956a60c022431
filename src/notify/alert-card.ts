/**
 * Alert cards: one finding, or several on one instance, as an Adaptive Card 1.5 that people can act on
 * (acknowledge, snooze, diagnose) without leaving Teams. Pure: no clock, no I/O.
 */
import { maxSeverity, type Finding, type SeriesPoint } from "../domain/finding";
import { cardBytes, CARD_BYTE_LIMIT, emptyCard, type AdaptiveCard, type CardElement } from "./card-types";
import {
  clip,
  evidenceFacts,
  formatClock,
  formatNumber,
  formatUtc,
  KIND_LABEL,
  SEVERITY_COLOR,
  SEVERITY_STYLE,
  SEVERITY_WORD,
  sparkline,
  STATUS_LABEL,
} from "./card-format";
import { scrubStrings, scrubValue } from "./scrub-secrets";

/** Snooze choices offered on every card, as the duration strings the bot understands. */
export const SNOOZE_CHOICES = [
  { title: "1 hour", value: "1h" },
  { title: "4 hours", value: "4h" },
  { title: "1 day", value: "1d" },
] as const;

/** What every card button sends back: the finding (or card) id and, for groups, the member ids. */
export interface CardActionData {
  id: string;
  ids?: string[];
  duration?: string;
  api?: string;
  instance?: string;
}

/** Why a card is shown again, per finding id (e.g. "firing unacknowledged for 4h 10m"), for its footer. */
export type CardNotes = ReadonlyMap<string, string>;

const NO_NOTES: CardNotes = new Map();

function withNote(text: string, note: string | undefined): string {
  return note ? `${text} ${note.charAt(0).toUpperCase()}${note.slice(1)}${/[.!?]$/.test(note) ? "" : "."}` : text;
}

/** Groups up to this size carry their member ids in button data. */
const MAX_IDS_IN_DATA = 20;

/** How much detail fits: level 0 is everything, higher levels cut more to stay under the size limit. */
interface Budget {
  evidence: number;
  steps: number;
  members: number;
  summary: number;
  chart: boolean;
}

const BUDGETS: Budget[] = [
  { evidence: 12, steps: 10, members: 12, summary: 1200, chart: true },
  { evidence: 6, steps: 6, members: 8, summary: 600, chart: true },
  { evidence: 3, steps: 4, members: 5, summary: 300, chart: false },
  { evidence: 0, steps: 2, members: 3, summary: 120, chart: false },
];

/** The card for one finding. */
export function alertCard(finding: Finding, notes: CardNotes = NO_NOTES): AdaptiveCard {
  return fit((budget) => buildSingle(finding, budget, notes));
}

/** One card for several findings on one instance; `key` identifies the card in actions. */
export function groupCard(findings: readonly Finding[], key: string, notes: CardNotes = NO_NOTES): AdaptiveCard {
  if (findings.length === 1 && findings[0]) return alertCard(findings[0], notes);
  return fit((budget) => buildGroup(findings, key, budget, notes));
}

/** The card for whatever a delivery holds: a single alert card or a grouped one. */
export function findingsCard(findings: readonly Finding[], key: string, notes: CardNotes = NO_NOTES): AdaptiveCard {
  const [only] = findings;
  return findings.length === 1 && only ? alertCard(only, notes) : groupCard(findings, key, notes);
}

function fit(build: (budget: Budget) => AdaptiveCard): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const budget of BUDGETS) {
    card = scrubStrings(build(budget));
    if (cardBytes(card) <= CARD_BYTE_LIMIT) return card;
  }
  // Even the leanest form is too big only with absurd titles; the last form is still the best we have.
  return card as AdaptiveCard;
}

function isOpen(f: Finding): boolean {
  return f.status !== "resolved";
}

function header(severity: Finding["severity"], resolved: boolean, label: string, title: string): CardElement {
  return {
    type: "Container",
    style: resolved ? "good" : SEVERITY_STYLE[severity],
    bleed: true,
    items: [
      {
        type: "TextBlock",
        text: resolved ? `RESOLVED · ${label}` : `${SEVERITY_WORD[severity]} · ${label}`,
        weight: "Bolder",
        color: resolved ? "good" : SEVERITY_COLOR[severity],
        size: "Small",
        wrap: true,
      },
      { type: "TextBlock", text: title, weight: "Bolder", size: "Medium", wrap: true },
    ],
  };
}

/** The state line everyone in the conversation sees: who acted and when. */
export function footerText(f: Finding): string {
  if (f.status === "resolved") return `Resolved at ${formatUtc(f.resolvedAt ?? f.lastSeen)}.`;
  const parts: string[] = [];
  if (f.acknowledgedBy || f.status === "acknowledged") {
    const who = f.acknowledgedBy ?? "someone";
    parts.push(f.acknowledgedAt ? `Acknowledged by ${who} at ${formatUtc(f.acknowledgedAt)}.` : `Acknowledged by ${who}.`);
  }
  if (f.status === "snoozed" && f.snoozedUntil) parts.push(`Snoozed until ${formatUtc(f.snoozedUntil)}.`);
  if (f.status === "silenced") parts.push(f.snoozedUntil ? `Silenced until ${formatUtc(f.snoozedUntil)}.` : "Silenced.");
  if (parts.length === 0) parts.push(`Firing since ${formatUtc(f.firstSeen)}.`);
  return parts.join(" ");
}

function footer(text: string): CardElement {
  return { type: "TextBlock", text, isSubtle: true, size: "Small", wrap: true, spacing: "Medium", separator: true };
}

function trendChart(series: readonly SeriesPoint[], label: string): CardElement {
  const first = series[0];
  const last = series[series.length - 1];
  const peak = Math.max(...series.map((p) => p.value));
  const fallbackText = `${label}: ${sparkline(series)} (from ${formatNumber(first?.value ?? 0)} to ${formatNumber(last?.value ?? 0)}, peak ${formatNumber(peak)})`;
  return {
    type: "Chart.Line",
    title: label,
    data: [{ legend: label, values: series.map((p) => ({ x: formatClock(p.time), y: p.value })) }],
    fallback: { type: "TextBlock", text: fallbackText, wrap: true, fontType: "Monospace" },
  };
}

function chartLabel(f: Finding): string {
  return f.kind === "auth-failure-burst" ? "401/403 rate (%)" : "5xx rate (%)";
}

function steps(remediation: readonly string[], max: number): CardElement[] {
  if (remediation.length === 0) return [];
  const shown = remediation.slice(0, max);
  const items: CardElement[] = [{ type: "TextBlock", text: "What to do", weight: "Bolder", spacing: "Medium" }];
  shown.forEach((step, i) => items.push({ type: "TextBlock", text: `${i + 1}. ${step}`, wrap: true, spacing: "Small" }));
  if (remediation.length > shown.length) items.push({ type: "TextBlock", text: `and ${remediation.length - shown.length} more`, isSubtle: true, spacing: "Small" });
  return items;
}

function execute(title: string, verb: "ack" | "snooze" | "diagnose", data: CardActionData): CardElement {
  return {
    type: "Action.Execute",
    title,
    verb,
    data,
    fallback: { type: "Action.Submit", title, data: { ...data, verb } },
  };
}

function snoozeAction(data: CardActionData): CardElement {
  return {
    type: "Action.ShowCard",
    title: "Snooze",
    card: {
      type: "AdaptiveCard",
      body: [
        {
          type: "Input.ChoiceSet",
          id: "duration",
          label: "Snooze for",
          style: "compact",
          value: "1h",
          choices: SNOOZE_CHOICES.map((c) => ({ title: c.title, value: c.value })),
        },
      ],
      actions: [execute("Snooze", "snooze", data)],
    },
  };
}

function actions(open: boolean, acked: boolean, data: CardActionData, portalUrl: string | undefined, diagnose: CardActionData | undefined): CardElement[] {
  const list: CardElement[] = [];
  if (portalUrl) list.push({ type: "Action.OpenUrl", title: "Open in Azure portal", url: portalUrl });
  if (open && !acked) list.push(execute("Acknowledge", "ack", data));
  if (open) list.push(snoozeAction(data));
  if (diagnose) list.push(execute("Diagnose", "diagnose", diagnose));
  return list;
}

function refresh(data: CardActionData): CardElement {
  return { action: { type: "Action.Execute", verb: "refresh", data } };
}

function instancePortalUrl(instanceId: string): string | undefined {
  return instanceId.startsWith("/subscriptions/") ? `https://portal.azure.com/#resource${instanceId}/overview` : undefined;
}

function buildSingle(f: Finding, budget: Budget, notes: CardNotes): AdaptiveCard {
  const card = emptyCard();
  const open = isOpen(f);
  card.body.push(header(f.severity, !open, KIND_LABEL[f.kind], f.title));
  card.body.push({ type: "TextBlock", text: clip(f.summary, budget.summary), wrap: true, spacing: "Medium" });

  const facts: { title: string; value: string }[] = [{ title: "Instance", value: f.instance }];
  if (f.api) facts.push({ title: "API", value: f.api });
  if (f.cause) facts.push({ title: "Cause", value: f.cause });
  if (f.rule) facts.push({ title: "Rule", value: f.rule });
  facts.push({ title: "Status", value: STATUS_LABEL[f.status] });
  facts.push({ title: "First seen", value: formatUtc(f.firstSeen) });
  facts.push({ title: "Alert id", value: f.id });
  const evidence = evidenceFacts(scrubValue(f.evidence) as Record<string, unknown>);
  facts.push(...evidence.slice(0, budget.evidence));
  if (evidence.length > budget.evidence) facts.push({ title: "Evidence", value: `and ${evidence.length - budget.evidence} more` });
  card.body.push({ type: "FactSet", facts });

  if (budget.chart && f.series && f.series.length >= 2) card.body.push(trendChart(f.series, chartLabel(f)));
  card.body.push(...steps(f.remediation, budget.steps));
  card.body.push(footer(withNote(footerText(f), notes.get(f.id))));

  const data: CardActionData = { id: f.id };
  const diagnose = f.api ? { id: f.id, api: f.api, instance: f.instance } : undefined;
  card.actions = actions(open, f.status === "acknowledged", data, f.portalUrl, open ? diagnose : undefined);
  card.refresh = refresh(data);
  return card;
}

function buildGroup(findings: readonly Finding[], key: string, budget: Budget, notes: CardNotes): AdaptiveCard {
  const card = emptyCard();
  const sorted = [...findings].sort((a, b) => rank(b) - rank(a) || a.title.localeCompare(b.title));
  const open = sorted.filter(isOpen);
  const first = sorted[0];
  const instance = first?.instance ?? "unknown instance";
  const severity = (open.length > 0 ? open : sorted).reduce<Finding["severity"]>((s, f) => maxSeverity(s, f.severity), "info");
  const title = open.length === 0
    ? `${sorted.length} problems on ${instance}, all resolved`
    : `${open.length} open problem${open.length === 1 ? "" : "s"} on ${instance}`;
  card.body.push(header(severity, open.length === 0, "Several problems", title));

  const shown = sorted.slice(0, budget.members);
  for (const f of shown) {
    card.body.push({
      type: "Container",
      separator: true,
      spacing: "Medium",
      items: [
        {
          type: "TextBlock",
          text: `${f.status === "resolved" ? "RESOLVED" : SEVERITY_WORD[f.severity]} · ${KIND_LABEL[f.kind]}`,
          color: f.status === "resolved" ? "good" : SEVERITY_COLOR[f.severity],
          weight: "Bolder",
          size: "Small",
        },
        { type: "TextBlock", text: f.title, wrap: true, spacing: "None" },
        { type: "TextBlock", text: `${withNote(footerText(f), notes.get(f.id))} Alert id ${f.id}.`, isSubtle: true, size: "Small", wrap: true, spacing: "None" },
        ...(budget.steps > 2 && f.remediation[0] && f.status !== "resolved"
          ? [{ type: "TextBlock", text: `First step: ${f.remediation[0]}`, wrap: true, size: "Small", spacing: "Small" }]
          : []),
      ],
    });
  }
  if (sorted.length > shown.length) card.body.push({ type: "TextBlock", text: `and ${sorted.length - shown.length} more`, isSubtle: true });

  const acked = open.length > 0 && open.every((f) => f.status === "acknowledged");
  card.body.push(footer(open.length === 0 ? "All resolved." : acked ? "All acknowledged." : `${open.length} still open.`));
  // Big groups would repeat hundreds of ids in every button; the bot finds the members by card key instead.
  const ids = sorted.map((f) => f.id);
  const data: CardActionData = ids.length <= MAX_IDS_IN_DATA ? { id: key, ids } : { id: key };
  const firstApi = open.find((f) => f.api);
  const diagnose = firstApi?.api ? { id: firstApi.id, api: firstApi.api, instance: firstApi.instance } : undefined;
  card.actions = actions(open.length > 0, acked, data, first ? instancePortalUrl(first.instanceId) : undefined, diagnose);
  card.refresh = refresh(data);
  return card;
}

function rank(f: Finding): number {
  const open = f.status === "resolved" ? 0 : 10;
  return open + (f.severity === "critical" ? 2 : f.severity === "warning" ? 1 : 0);
}
