import type { DetectConfig } from "../detect/config";
import type { Finding } from "../domain/finding";
import type { BotServices, BotUser, ServiceError, Silence as SilenceView, StatusView } from "../teams/bot-services";
import type { Silence } from "../triage";
import type { AppDeps } from "./app-deps";
import { diagnose } from "./diagnose";
import { runReport } from "./report";

const EXPIRING_KINDS = new Set(["subscription-expiring", "certificate-expiring"]);

function toView(s: Silence): SilenceView {
  const target = [s.instance, s.api].filter((x): x is string => x !== undefined).join(" / ");
  return { id: s.id, target, until: s.endsAt, reason: s.reason || undefined, createdBy: s.by, createdAt: s.at };
}

function refusal(value: { error: string }): ServiceError {
  return { error: value.error };
}

/** The use cases behind the Teams commands and card buttons. */
export function createBotServices(deps: AppDeps, detectConfig: DetectConfig): BotServices {
  const now = () => deps.clock.now();
  return {
    diagnose: (api, instance) => diagnose(deps, api, instance, detectConfig),

    async status(): Promise<StatusView> {
      const [open, instances] = await Promise.all([deps.alerts.listOpen(now()), deps.alerts.listInstances()]);
      const openNow = open.filter((f) => f.status !== "resolved");
      const lastSweepAt = instances.map((m) => m.lastReadOk ?? m.lastFailureAt).filter((t): t is string => t !== undefined).sort().pop();
      return {
        lastSweepAt,
        open: openNow,
        instances: instances.map((m) => ({
          instance: m.instance,
          lastReadOk: m.lastReadOk,
          lastFailureAt: m.lastFailureAt,
          openAlerts: openNow.filter((f) => f.instanceId.toLowerCase() === m.instanceId.toLowerCase()).length,
        })),
      };
    },

    async expiring(days: number): Promise<Finding[]> {
      const horizon = now().getTime() + days * 86_400_000;
      const open = await deps.alerts.listOpen(now());
      return open
        .filter((f) => f.status !== "resolved" && (EXPIRING_KINDS.has(f.kind) || f.kind === "subscription-expired"))
        .filter((f) => {
          const at = (f.evidence.expirationDate ?? f.evidence.expiry ?? f.evidence.expiresAt) as string | undefined;
          return at === undefined || Date.parse(at) <= horizon;
        })
        .sort((a, b) => String(a.evidence.expirationDate ?? a.evidence.expiry ?? "").localeCompare(String(b.evidence.expirationDate ?? b.evidence.expiry ?? "")));
    },

    async ack(idPrefix: string, user: BotUser) {
      const result = await deps.alerts.acknowledge(idPrefix, user.name, now());
      return "error" in result ? refusal(result) : result;
    },

    async snooze(idPrefix: string, ms: number, user: BotUser) {
      const result = await deps.alerts.snooze(idPrefix, ms, user.name, now());
      return "error" in result ? refusal(result) : result;
    },

    async silence(target: string, ms: number, reason: string | undefined, user: BotUser) {
      // A name that is a known instance silences the instance; anything else is taken as an API id.
      const request = await deps.alerts.silenceTarget(target);
      const result = await deps.alerts.addSilence({ ...request, durationMs: ms, reason, by: user.name }, now());
      return "error" in result ? refusal(result) : toView(result);
    },

    async silences() {
      return (await deps.alerts.listSilences(now())).map(toView);
    },

    async report() {
      const outcome = await runReport(deps, { post: false, save: false });
      return outcome.card;
    },

    findings: (ids) => deps.alerts.getFindings(ids, now()),
  };
}
