/**
 * What the Teams bot needs from the rest of apimbot. The bot only parses, checks and renders; the use
 * cases behind this interface (implemented in `src/app/`) do the work.
 */
import type { Finding } from "../domain/finding";
import type { BotUser, Diagnosis, Silence, StatusView } from "../notify/views";

// The view types live beside the pure card builders that render them (a card may not import the teams edge).
export type { BotUser, Diagnosis, InstanceStatus, Silence, StatusView } from "../notify/views";

/** A refusal a person can act on, e.g. an unknown or ambiguous alert id. */
export interface ServiceError {
  error: string;
}

/** The use cases the bot calls. */
export interface BotServices {
  /** Runs collect and detect on one API; an unknown or ambiguous name gets the closest candidates. */
  diagnose(api: string, instance?: string): Promise<Diagnosis | { candidates: string[] }>;
  status(): Promise<StatusView>;
  /** Subscriptions (and certificates) expiring within `days`. */
  expiring(days: number): Promise<Finding[]>;
  /** Acknowledges the alert whose id starts with `idPrefix` (at least 6 characters). */
  ack(idPrefix: string, user: BotUser): Promise<Finding | ServiceError>;
  snooze(idPrefix: string, ms: number, user: BotUser): Promise<Finding | ServiceError>;
  /** Refuses a silence without an end or one that matches everything. */
  silence(target: string, ms: number, reason: string | undefined, user: BotUser): Promise<Silence | ServiceError>;
  silences(): Promise<Silence[]>;
  /** The hygiene summary card (Adaptive Card JSON). */
  report(): Promise<object>;
  /** The current state of these findings, to re-render the cards that show them; unknown ids are left out. */
  findings(ids: readonly string[]): Promise<Finding[]>;
}

/** True when a service answered with a refusal rather than a result. */
export function isServiceError(value: unknown): value is ServiceError {
  return typeof value === "object" && value !== null && typeof (value as ServiceError).error === "string";
}
