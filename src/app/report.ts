import { getISOWeek, getISOWeekYear } from "date-fns";
import type { Detection } from "../domain/finding";
import { checkEstate } from "../hygiene/catalog";
import { buildReport, type ReportModel } from "../hygiene/report";
import { buildReportCard } from "../notify/report-card";
import { cardActivity } from "../notify/delivery";
import { renderReportHtml } from "../notify/report-html";
import type { AppDeps } from "./app-deps";

/** What one hygiene report run produced. */
export interface ReportOutcome {
  model: ReportModel;
  /** Every hygiene finding, suppressed ones included (`report --json`). */
  detections: Detection[];
  card: object;
  html: string;
  /** Conversations the summary card reached, and those it could not. */
  posted: string[];
  failed: { conversationId: string; reason: string }[];
  stats: Record<string, number>;
  nothingRead: boolean;
}

export interface ReportOptions {
  post: boolean;
  /** Store this run as the snapshot next week's report compares with. */
  save: boolean;
}

/**
 * The weekly hygiene report: reads every instance's configuration, runs the rule catalog, compares
 * with the last stored run, and posts the summary card through the same conversations as alerts.
 */
export async function runReport(deps: AppDeps, options: ReportOptions): Promise<ReportOutcome> {
  const now = deps.clock.now();
  const collected = await deps.collector.collect({
    readConfig: true,
    readSubscriptions: () => true,
    readLogDestinations: () => false,
    telemetryWindowMinutes: 0,
    intervalMinutes: 5,
    readLogs: false,
  });
  const detections = checkEstate(collected.estate, now);
  const [previous, suppressions] = await Promise.all([deps.reports.latestSnapshot(now), deps.reports.listSuppressions()]);
  const model = buildReport(detections, previous, suppressions, now, { instancesChecked: collected.estate.instances.length });
  const card = buildReportCard(model);
  const html = renderReportHtml(model);
  if (options.save) await deps.reports.saveSnapshot(model.snapshot);

  let posted: string[] = [];
  let failed: { conversationId: string; reason: string }[] = [];
  if (options.post) {
    const endpoint = await deps.endpoint();
    const activity = cardActivity(card, `Hygiene report: ${model.totals.total} findings`);
    // One summary card per conversation and ISO week: a retried or repeated run in the same week does not post it again.
    const week = `${getISOWeekYear(now)}w${String(getISOWeek(now)).padStart(2, "0")}`;
    const result = await endpoint.delivery.broadcast(`report-${week}`, activity);
    posted = result.posted;
    failed = result.failed;
  }
  deps.log.info("report completed", { findings: model.totals.total, posted: posted.length, failed: failed.length });
  return {
    model,
    detections,
    card,
    html,
    posted,
    failed,
    stats: collected.stats,
    nothingRead: collected.estate.instances.length === 0 && collected.estate.failures.length > 0,
  };
}
