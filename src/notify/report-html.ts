/**
 * The weekly hygiene report as one self-contained HTML page: inline CSS, an inline SVG trend chart,
 * no script and no external resource, so it reads the same offline, attached to a mail or archived.
 * Every value from the estate is escaped.
 */
import type { Severity } from "../domain/finding";
import type { ReportItem, ReportModel, TrendPoint } from "../hygiene/report";
import { formatUtc } from "./card-format";
import { scrubText } from "./scrub-secrets";

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const e = (v: unknown): string => escapeHtml(scrubText(String(v)));

const COLORS: Record<Severity, string> = { critical: "#c50f1f", warning: "#c19c00", info: "#0f6cbd" };
const ORDER: Severity[] = ["critical", "warning", "info"];

const CSS = `
body{font-family:"Segoe UI",system-ui,-apple-system,sans-serif;margin:0;color:#242424;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#616161;margin:0 0 16px}
.counts{display:flex;gap:12px;flex-wrap:wrap}.count{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px 18px;min-width:110px;text-align:center}
.count b{display:block;font-size:28px}.critical{color:${COLORS.critical}}.warning{color:${COLORS.warning}}.info{color:${COLORS.info}}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}th,td{border:1px solid #e0e0e0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.sev{font-weight:600;white-space:nowrap}code{font-size:12px;word-break:break-all}
details{background:#fff;border:1px solid #e0e0e0;border-radius:6px;margin:8px 0;padding:6px 10px}summary{cursor:pointer;font-weight:600}
ol.steps{margin:4px 0;padding-left:18px}.new{background:#fde7e9;color:#a4262c;border-radius:3px;padding:0 4px;font-size:12px;margin-left:4px}
.chart{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:8px}
@media print{details{break-inside:avoid}details:not([open]) > *:not(summary){display:block}}
`;

/** The trend of open findings per run, stacked by severity, as an inline SVG. */
export function trendSvg(trend: readonly TrendPoint[], width = 720, height = 220): string {
  const pad = { left: 44, right: 12, top: 16, bottom: 34 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...trend.map((p) => p.critical + p.warning + p.info));
  const step = trend.length > 0 ? plotW / trend.length : plotW;
  const barW = Math.max(4, Math.min(40, step * 0.7));
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="trend" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="Open findings per week by severity">`);
  parts.push(`<title>Open findings per week by severity</title>`);
  for (const frac of [0, 0.5, 1]) {
    const v = Math.round(max * frac);
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/>`);
    parts.push(`<text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#616161">${v}</text>`);
  }
  trend.forEach((p, i) => {
    const x = pad.left + i * step + (step - barW) / 2;
    let base = 0;
    for (const sev of ORDER) {
      const n = p[sev];
      if (n > 0) {
        parts.push(`<rect class="bar-${sev}" x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${COLORS[sev]}"><title>${escapeHtml(p.at.slice(0, 10))}: ${n} ${sev}</title></rect>`);
      }
      base += n;
    }
    const showLabel = trend.length <= 12 || i % Math.ceil(trend.length / 12) === 0 || i === trend.length - 1;
    if (showLabel) parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${height - pad.bottom + 16}" font-size="11" text-anchor="middle" fill="#616161">${escapeHtml(p.at.slice(5, 10))}</text>`);
  });
  ORDER.forEach((sev, i) => {
    parts.push(`<rect x="${pad.left + i * 90}" y="${height - 12}" width="10" height="10" fill="${COLORS[sev]}"/><text x="${pad.left + i * 90 + 14}" y="${height - 3}" font-size="11" fill="#424242">${sev}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

function itemRows(items: readonly ReportItem[]): string {
  return items
    .map(
      (i) => `<tr><td class="sev ${i.severity}">${i.severity}</td><td>${e(i.instance)}</td><td>${e(i.scope)}${i.line !== undefined ? `, line ${i.line}` : ""}<br><code>${e(i.resourceName)}</code></td><td>${e(i.summary)}${i.isNew ? '<span class="new">new</span>' : ""}<br><small>${e(i.rule)}</small></td><td><ol class="steps">${i.remediation.map((s) => `<li>${e(s)}</li>`).join("")}</ol></td></tr>`,
    )
    .join("\n");
}

const ITEM_HEAD = "<tr><th>severity</th><th>instance</th><th>resource</th><th>finding</th><th>what to do</th></tr>";

/** Renders the whole report page. */
export function renderReportHtml(model: ReportModel, options: { title?: string } = {}): string {
  const title = options.title ?? "APIM hygiene report";
  const t = model.totals;
  const c = model.change;
  const out: string[] = [];
  out.push(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  out.push(`<title>${e(title)} · ${e(model.generatedAt.slice(0, 10))}</title><style>${CSS}</style></head><body><main>`);
  out.push(`<h1>${e(title)}</h1><p class="sub">${e(formatUtc(model.generatedAt))} · ${model.instances} instance(s) checked</p>`);
  out.push(`<div class="counts">${ORDER.map((s) => `<div class="count ${s}"><b>${t[s]}</b>${s}</div>`).join("")}<div class="count"><b>${t.total}</b>open</div></div>`);

  out.push(`<h2>Trend</h2><div class="chart">${trendSvg(model.trend)}</div>`);

  out.push(`<h2>Since last week</h2>`);
  if (c.previousAt === undefined) {
    out.push(`<p>This is the first report; the next one will show what changed.</p>`);
  } else {
    out.push(`<p>Compared with the report of ${e(formatUtc(c.previousAt))}: <b>${c.newIds.length}</b> new, <b>${c.fixed.length}</b> fixed, <b>${c.stillOpenIds.length}</b> still open.</p>`);
    if (c.fixed.length > 0) {
      out.push(`<details><summary>Fixed (${c.fixed.length})</summary><table><tr><th>severity</th><th>instance</th><th>finding</th><th>rule</th></tr>`);
      out.push(c.fixed.map((f) => `<tr><td class="sev ${f.severity}">${f.severity}</td><td>${e(f.instance)}</td><td>${e(f.title ?? f.resourceId)}</td><td>${e(f.rule)}</td></tr>`).join("\n"));
      out.push(`</table></details>`);
    }
  }

  if (model.topFive.length > 0) {
    out.push(`<h2>Fix these first</h2><ol>`);
    for (const r of model.topFive) {
      out.push(`<li><b class="${r.severity}">${r.severity}</b> ${e(r.title)}: ${r.count} resource(s) on ${r.instances.length} instance(s) (${e(r.instances.join(", "))}). ${e(r.firstStep)} <small>${e(r.rule)}</small></li>`);
    }
    out.push(`</ol>`);
  }

  if (model.expiring.length > 0) {
    out.push(`<h2>Expiring within 30 days</h2><table>${ITEM_HEAD}${itemRows(model.expiring)}</table>`);
  }

  out.push(`<h2>Findings by area</h2>`);
  if (model.sections.length === 0) out.push(`<p>No open findings.</p>`);
  for (const s of model.sections) {
    out.push(`<details${s.counts.critical > 0 ? " open" : ""}><summary>${e(s.title)}: ${s.counts.total} (${s.counts.critical} critical, ${s.counts.warning} warning, ${s.counts.info} info)</summary>`);
    out.push(`<table>${ITEM_HEAD}${itemRows(s.items)}</table></details>`);
  }

  out.push(`<h2>Suppressions</h2>`);
  if (model.suppressions.length === 0) {
    out.push(`<p>None.</p>`);
  } else {
    out.push(`<table><tr><th>rule</th><th>resource</th><th>reason</th><th>expires</th><th>state</th></tr>`);
    for (const x of model.suppressions) {
      out.push(`<tr><td>${e(x.rule)}</td><td><code>${e(x.resourceId)}</code></td><td>${e(x.reason)}${x.createdBy !== undefined ? `<br><small>by ${e(x.createdBy)}</small>` : ""}</td><td>${e(x.expiresAt.slice(0, 10))}</td><td>${x.expired ? "expired: reported again" : `active, hides ${x.matched}`}</td></tr>`);
    }
    out.push(`</table>`);
  }
  out.push(`</main></body></html>`);
  return out.join("\n");
}
