/**
 * The answer to `status`: open alerts, worst first, and when each instance was last read. Pure.
 */
import { SEVERITY_RANK } from "../domain/finding";
import { emptyCard, type AdaptiveCard } from "./card-types";
import { formatUtc, SEVERITY_COLOR, SEVERITY_WORD, STATUS_LABEL } from "./card-format";
import { scrubStrings } from "./scrub-secrets";
import type { StatusView } from "./views";

/** The status card; at most `limit` alerts and instances are listed before "and N more". */
export function statusCard(view: StatusView, limit = 15): AdaptiveCard {
  const card = emptyCard();
  const open = [...view.open].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.firstSeen.localeCompare(b.firstSeen));
  card.body.push({
    type: "TextBlock",
    text: open.length === 0 ? "No open alerts" : `${open.length} open alert${open.length === 1 ? "" : "s"}`,
    weight: "Bolder",
    size: "Medium",
  });
  if (view.lastSweepAt) card.body.push({ type: "TextBlock", text: `Last sweep at ${formatUtc(view.lastSweepAt)}.`, isSubtle: true, spacing: "None" });
  for (const f of open.slice(0, limit)) {
    card.body.push({
      type: "ColumnSet",
      separator: true,
      columns: [
        { type: "Column", width: "auto", items: [{ type: "TextBlock", text: SEVERITY_WORD[f.severity], color: SEVERITY_COLOR[f.severity], weight: "Bolder", size: "Small" }] },
        {
          type: "Column",
          width: "stretch",
          items: [
            { type: "TextBlock", text: f.title, wrap: true },
            { type: "TextBlock", text: `${STATUS_LABEL[f.status]} · id ${f.id} · since ${formatUtc(f.firstSeen)}`, isSubtle: true, size: "Small", spacing: "None", wrap: true },
          ],
        },
      ],
    });
  }
  if (open.length > limit) card.body.push({ type: "TextBlock", text: `and ${open.length - limit} more`, isSubtle: true });

  if (view.instances.length > 0) {
    card.body.push({ type: "TextBlock", text: "Instances", weight: "Bolder", spacing: "Large" });
    const facts = view.instances.slice(0, limit).map((i) => ({
      title: i.instance,
      value: [
        i.lastReadOk ? `read ${formatUtc(i.lastReadOk)}` : "never read",
        i.lastFailureAt ? `last failure ${formatUtc(i.lastFailureAt)}` : undefined,
        `${i.openAlerts} open`,
      ].filter(Boolean).join(" · "),
    }));
    card.body.push({ type: "FactSet", facts });
    if (view.instances.length > limit) card.body.push({ type: "TextBlock", text: `and ${view.instances.length - limit} more`, isSubtle: true });
  }
  return scrubStrings(card);
}
