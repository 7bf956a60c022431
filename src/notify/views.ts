/**
 * View models the bot's answers are rendered from. Re-exported by `src/teams/bot-services.ts`, which is
 * where the use cases promise to produce them.
 */
import type { Finding } from "../domain/finding";

/** The person who typed a command or clicked a button, as Teams names them. */
export interface BotUser {
  /** Teams user id (`29:...`). */
  id: string;
  /** Display name, shown in card footers ("Acknowledged by Ada Lovelace"). */
  name: string;
  /** Entra object id, when Teams sends it; matched against `Settings.actionUsers`. */
  aadObjectId?: string;
}

/**
 * The answer to `diagnose <api>`: which layer is at fault and why. `layer` is `gateway` (requests fail
 * at runtime), `management` (the control plane: provisioning, configuration, keys) or `portal` (the
 * developer portal). `evidence` holds the records behind the verdict (recent 5xx and 401/403 by reason,
 * backend URL and TLS settings, the policy chain, subscription requirement, diagnostics on or off).
 */
export interface Diagnosis {
  api: string;
  instance: string;
  layer: "gateway" | "management" | "portal";
  /** One or two sentences naming the cause, for the top of the card. */
  verdict?: string;
  findings: Finding[];
  evidence: Record<string, unknown>;
  /** Ordered fix steps when no finding carries them. */
  remediation?: string[];
}

/** One instance's line in `status`: when it was last read and how many alerts are open. */
export interface InstanceStatus {
  instance: string;
  lastReadOk?: string;
  lastFailureAt?: string;
  openAlerts: number;
}

/** The answer to `status`: open alerts and when each instance was last read. */
export interface StatusView {
  /** ISO time of the last completed sweep, if any. */
  lastSweepAt?: string;
  open: Finding[];
  instances: InstanceStatus[];
}

/** A maintenance window: matching findings are kept but not posted until `until`. */
export interface Silence {
  id: string;
  /** Instance or API name it matches. */
  target: string;
  until: string;
  reason?: string;
  createdBy: string;
  createdAt: string;
}

