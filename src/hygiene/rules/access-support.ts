/**
 * Helpers and thresholds shared by the subscription, backend and named value rules.
 */
import type { NamedValueInfo } from "../../domain/snapshot";

/** Days before expiry from which a subscription is reported. */
export const SUBSCRIPTION_EXPIRY_DAYS = 30;

/** Names that suggest a credential. */
export const SECRET_NAME = /(secret|password|passwd|pwd|apikey|api-key|api_key|token|credential|connectionstring|connection-string|sas|private|clientkey|client-key|accesskey|access-key)/i;

/** True when a plain value looks like a credential: tokens, keys, connection strings. */
export function looksSecret(nv: Pick<NamedValueInfo, "name" | "displayName" | "value">): boolean {
  const v = (nv.value ?? "").trim();
  if (v === "" || /^\{\{.*\}\}$/.test(v) || /^@[({]/.test(v)) return false;
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]*$/.test(v)) return true; // a JWT
  if (/(AccountKey|SharedAccessKey|Password|pwd)=[^;]+/i.test(v)) return true; // a connection string
  if (/[?&]sig=[^&]{16,}/.test(v)) return true; // a SAS URL
  if (/^(sk|pk|ghp|xox[bp])[-_][\w-]{16,}$/.test(v)) return true;
  const tokenish = /^[A-Za-z0-9+/=_-]{24,}$/.test(v) && /\d/.test(v) && /[A-Za-z]/.test(v);
  if (tokenish) return true;
  return SECRET_NAME.test(`${nv.name} ${nv.displayName}`) && v.length >= 8 && !/\s/.test(v) && !/^https?:\/\/[^?]*$/.test(v);
}
