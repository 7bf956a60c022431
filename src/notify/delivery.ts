/**
 * Delivers alert cards to the conversations routing picks: a new finding posts a card, a state change
 * updates the same card in place, a resolution updates it to say so.
 *
 * Delivery is at least once. Each post is recorded with its activity id the moment the connector
 * answers, so a restart re-posts only cards that never got an answer. The Bot Connector has no
 * idempotency key, which leaves one window for a duplicate: a crash (or a failed table write) after the
 * connector answered a post and before that answer was recorded. The write is the very next step, so the
 * window is one table round trip long.
 */
import type { RouteRule } from "../config/settings";
import type { Clock } from "../domain/clock";
import { ApimbotError, describeError } from "../domain/errors";
import type { Finding } from "../domain/finding";
import { fnv1a64 } from "../domain/fingerprint";
import type { Logger } from "../domain/logger";
import type { DeliveryRecord, DeliveryStore } from "../store/delivery-store";
import type { Installation, InstallationStore } from "../store/installation-store";
import { findingsCard, type CardNotes } from "./alert-card";
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from "./card-types";
import { routeFinding } from "./routing";
import { scrubText } from "./scrub-secrets";

/** A message activity carrying one card. */
export interface CardActivity {
  type: "message";
  /** Notification preview text in Teams. */
  summary?: string;
  text?: string;
  attachments?: { contentType: string; content: unknown }[];
}

/** Posts and updates activities in a conversation; implemented over the Agents SDK in `src/teams/`. */
export interface ConversationSender {
  post(installation: Installation, activity: CardActivity): Promise<{ id: string }>;
  update(installation: Installation, activityId: string, activity: CardActivity): Promise<void>;
}

/** A connector call that failed. 429 and 5xx (and network failures, status 0) are worth retrying. */
export class ConnectorError extends ApimbotError {
  readonly status: number;
  readonly retryAfterMs?: number;

  constructor(status: number, retryAfterMs?: number) {
    const retryable = status === 0 || status === 429 || status >= 500;
    super("ConnectorFailed", status === 0 ? "The Bot Connector could not be reached" : `The Bot Connector answered ${status}`, { retryable });
    this.name = "ConnectorError";
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** How hard to try within one sweep before leaving a card pending for the next. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the card stays pending. */
  maxDelayMs: number;
  sleep(ms: number): Promise<void>;
}

/** Four tries, 1 s doubling, waiting at most 30 s for a `Retry-After`. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** One card posted or updated. */
export interface DeliveredCard {
  conversationId: string;
  cardKey: string;
  activityId: string;
  findingIds: string[];
}

/** A card that could not be delivered this time; it is retried on the next sweep. */
export interface PendingCard {
  conversationId: string;
  cardKey: string;
  findingIds: string[];
  reason: string;
}

/** What one delivery run did. */
export interface DeliveryReport {
  posted: DeliveredCard[];
  updated: DeliveredCard[];
  unchanged: number;
  pending: PendingCard[];
}

/** Triage's word on a finding this sweep (structurally its `Notification`): why to tell people, and a note. */
export interface DeliveryNotice {
  finding: { id: string };
  reason: string;
  note?: string;
}

/** Reasons that re-render a card even when its state hash is unchanged (escalation by age keeps severity). */
const FORCING_REASONS = new Set(["escalated", "repeat", "status-changed", "mute-ended"]);

/** What delivery depends on. */
export interface DeliveryDeps {
  sender: ConversationSender;
  installations: InstallationStore;
  deliveries: DeliveryStore;
  routes: readonly RouteRule[];
  clock: Clock;
  log: Logger;
  retry?: Partial<RetryPolicy>;
}

/** Findings that deserve a new card; snoozed, silenced and resolved ones only update existing cards. */
export function isPostable(f: Finding): boolean {
  return f.status === "firing" || f.status === "acknowledged";
}

/**
 * The state a card shows, hashed. Evidence numbers move every sweep; rewriting every card every five
 * minutes would be noise, so only what a person acts on (status, severity, who acted, until when,
 * which findings) changes the hash.
 */
export function cardStateHash(findings: readonly Finding[]): string {
  const state = [...findings]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((f) => [f.id, f.status, f.severity, f.acknowledgedBy ?? "", f.acknowledgedAt ?? "", f.snoozedUntil ?? "", f.resolvedAt ?? ""].join("|"));
  return fnv1a64(state.join("\n"));
}

/** The key of a grouped card: its instance and first members, so a re-run of the same sweep finds it again. */
export function groupKey(instanceId: string, findingIds: readonly string[]): string {
  return `g${fnv1a64([instanceId.toLowerCase(), ...[...findingIds].sort()].join("\u0000"))}`;
}

/** The message activity for a card. */
export function cardActivity(card: AdaptiveCard | object, summary: string): CardActivity {
  return { type: "message", summary, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}

function summaryOf(findings: readonly Finding[]): string {
  const [first] = findings;
  if (findings.length === 1 && first) return first.title;
  return `${findings.length} problems on ${first?.instance ?? "an instance"}`;
}

/** Posts, updates and records alert cards. */
export class Delivery {
  private readonly retry: RetryPolicy;

  constructor(private readonly deps: DeliveryDeps) {
    this.retry = { ...DEFAULT_RETRY, ...deps.retry };
  }

  /**
   * Delivers one sweep's findings: every open finding plus those this sweep resolved (triage's
   * `findings`). A card whose members are all missing from `findings` is left as it is. `notices`
   * (triage's `notifications`) re-render a card for escalations and reminders, with their note in the
   * footer; Teams does not alert anyone about an edit, so a reminder is quiet.
   */
  async deliver(findings: readonly Finding[], notices: readonly DeliveryNotice[] = []): Promise<DeliveryReport> {
    const report: DeliveryReport = { posted: [], updated: [], unchanged: 0, pending: [] };
    const notes = new Map<string, string>();
    for (const n of notices) if (FORCING_REASONS.has(n.reason)) notes.set(n.finding.id, n.note ?? n.reason);
    const installations = await this.deps.installations.list();
    const byId = new Map(findings.map((f) => [f.id, f]));
    for (const installation of installations) {
      const routed = findings.filter((f) => routeFinding(f, installations, this.deps.routes).includes(installation.conversationId));
      if (routed.length === 0) continue;
      await this.deliverTo(installation, routed, byId, notes, report);
    }
    return report;
  }

  /** Re-renders and updates every posted card showing one of `changedIds` (after an ack, snooze or resolve). */
  async refreshCards(changedIds: readonly string[], lookup: (ids: readonly string[]) => Promise<Finding[]>): Promise<DeliveredCard[]> {
    const done: DeliveredCard[] = [];
    const records = await this.deps.deliveries.findShowing(changedIds);
    if (records.length === 0) return done;
    const installs = new Map((await this.deps.installations.list()).map((i) => [i.conversationId, i]));
    for (const record of records) {
      const installation = installs.get(record.conversationId);
      if (!installation || !record.activityId) continue;
      const members = await lookup(record.findingIds);
      if (members.length === 0) continue;
      const hash = cardStateHash(members);
      if (hash === record.cardHash) continue;
      const ok = await this.update(installation, record, members, hash);
      if (ok) done.push({ conversationId: record.conversationId, cardKey: record.cardKey, activityId: record.activityId, findingIds: record.findingIds });
    }
    return done;
  }

  private async deliverTo(installation: Installation, routed: readonly Finding[], byId: ReadonlyMap<string, Finding>, notes: ReadonlyMap<string, string>, report: DeliveryReport): Promise<void> {
    const conversationId = installation.conversationId;
    const records = await this.deps.deliveries.listConversation(conversationId);
    const cardOf = new Map<string, DeliveryRecord>();
    for (const r of records) for (const id of r.findingIds) cardOf.set(id, r);

    const touched = new Map<string, DeliveryRecord>();
    const fresh: Finding[] = [];
    for (const f of routed) {
      const record = cardOf.get(f.id);
      if (record) touched.set(record.cardKey, record);
      else if (isPostable(f)) fresh.push(f);
    }

    for (const record of touched.values()) {
      const members = record.findingIds.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
      if (members.length === 0) continue;
      if (!record.activityId) {
        // Pending from an earlier sweep: post it now, or forget it when nothing in it is worth posting.
        if (!members.some(isPostable)) {
          await this.deps.deliveries.remove(conversationId, record.cardKey);
          continue;
        }
        await this.post(installation, record.cardKey, members.filter((m) => m.status !== "resolved"), record.attempts, report);
        continue;
      }
      const hash = cardStateHash(members);
      const forced = members.some((m) => notes.has(m.id));
      if (hash === record.cardHash && !forced) {
        report.unchanged++;
        continue;
      }
      if (await this.update(installation, record, members, hash, notes)) {
        report.updated.push({ conversationId, cardKey: record.cardKey, activityId: record.activityId, findingIds: record.findingIds });
      }
    }

    // Several new problems on one instance in one sweep make one grouped card, not a flood.
    const byInstance = new Map<string, Finding[]>();
    for (const f of fresh) {
      const key = f.instanceId.toLowerCase();
      byInstance.set(key, [...(byInstance.get(key) ?? []), f]);
    }
    for (const [instanceId, group] of byInstance) {
      const [only] = group;
      const key = group.length === 1 && only ? only.id : groupKey(instanceId, group.map((f) => f.id));
      await this.post(installation, key, group, 0, report);
    }
  }

  private async post(installation: Installation, cardKey: string, members: Finding[], priorAttempts: number, report: DeliveryReport): Promise<void> {
    const conversationId = installation.conversationId;
    const findingIds = members.map((f) => f.id);
    const activity = cardActivity(findingsCard(members, cardKey), summaryOf(members));
    let answer: { id: string };
    try {
      answer = await this.withRetry(() => this.deps.sender.post(installation, activity));
    } catch (err) {
      const reason = err instanceof ConnectorError ? err.message : scrubText(describeError(err)).slice(0, 200);
      this.deps.log.warn("card post failed; it stays pending for the next sweep", { conversationId, cardKey, reason });
      await this.deps.deliveries.put({ conversationId, cardKey, findingIds, attempts: priorAttempts + 1, lastError: reason });
      report.pending.push({ conversationId, cardKey, findingIds, reason });
      return;
    }
    // Recorded right away: this write is what keeps a restart from posting the card twice.
    const now = this.deps.clock.now().toISOString();
    await this.deps.deliveries.put({ conversationId, cardKey, findingIds, activityId: answer.id, postedAt: now, cardHash: cardStateHash(members), attempts: 0 });
    this.deps.log.info("card posted", { conversationId, cardKey, activityId: answer.id, findings: findingIds.length });
    report.posted.push({ conversationId, cardKey, activityId: answer.id, findingIds });
  }

  private async update(installation: Installation, record: DeliveryRecord, members: Finding[], hash: string, notes: CardNotes = new Map()): Promise<boolean> {
    const activityId = record.activityId as string;
    const activity = cardActivity(findingsCard(members, record.cardKey, notes), summaryOf(members));
    try {
      await this.withRetry(() => this.deps.sender.update(installation, activityId, activity));
    } catch (err) {
      const reason = scrubText(describeError(err)).slice(0, 200);
      if (err instanceof ConnectorError && !err.retryable) {
        // The message is gone or the bot may no longer edit it (4xx): retrying the same edit every sweep
        // would never succeed, so this state counts as shown and only a later change tries again.
        this.deps.log.warn("card update refused; not retried for this state", { conversationId: record.conversationId, cardKey: record.cardKey, reason });
        await this.deps.deliveries.put({ ...record, cardHash: hash, attempts: record.attempts + 1, lastError: reason });
        return false;
      }
      // The card keeps its old hash, so the next sweep tries the update again.
      this.deps.log.warn("card update failed; retried next sweep", { conversationId: record.conversationId, cardKey: record.cardKey, reason });
      await this.deps.deliveries.put({ ...record, attempts: record.attempts + 1, lastError: reason });
      return false;
    }
    await this.deps.deliveries.put({ ...record, cardHash: hash, updatedAt: this.deps.clock.now().toISOString(), attempts: 0, lastError: undefined });
    this.deps.log.info("card updated", { conversationId: record.conversationId, cardKey: record.cardKey, activityId });
    return true;
  }

  /**
   * Posts one card that is not about findings (the weekly report) to every installed conversation,
   * through the same retries and records as alert cards: a conversation that already shows `cardKey`
   * is skipped, so a re-run of the same report does not post it twice.
   */
  async broadcast(cardKey: string, activity: CardActivity): Promise<{ posted: string[]; skipped: string[]; failed: { conversationId: string; reason: string }[] }> {
    const outcome = { posted: [] as string[], skipped: [] as string[], failed: [] as { conversationId: string; reason: string }[] };
    for (const installation of await this.deps.installations.list()) {
      const conversationId = installation.conversationId;
      const existing = (await this.deps.deliveries.listConversation(conversationId)).find((r) => r.cardKey === cardKey && r.activityId);
      if (existing) {
        outcome.skipped.push(conversationId);
        continue;
      }
      try {
        const answer = await this.withRetry(() => this.deps.sender.post(installation, activity));
        await this.deps.deliveries.put({ conversationId, cardKey, findingIds: [], activityId: answer.id, postedAt: this.deps.clock.now().toISOString(), attempts: 0 });
        outcome.posted.push(conversationId);
      } catch (err) {
        const reason = err instanceof ConnectorError ? err.message : scrubText(describeError(err)).slice(0, 200);
        this.deps.log.warn("card post failed", { conversationId, cardKey, reason });
        outcome.failed.push({ conversationId, reason });
      }
    }
    return outcome;
  }

  private async withRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof ConnectorError) || !err.retryable || attempt >= this.retry.attempts) throw err;
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        const wait = err.retryAfterMs ?? backoff;
        if (wait > this.retry.maxDelayMs) throw err;
        this.deps.log.debug("connector busy; retrying", { status: err.status, waitMs: wait, attempt });
        await this.retry.sleep(wait);
      }
    }
  }
}
