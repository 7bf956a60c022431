/**
 * The shape of a hygiene rule: one small, pure check over one instance's snapshot, with the text a
 * person needs to understand and fix what it finds.
 */
import type { Severity } from "../domain/finding";
import type { InstanceSnapshot, PolicyDoc } from "../domain/snapshot";

/** Base of the learn.microsoft.com pages rules link to. */
export const LEARN = "https://learn.microsoft.com/azure/api-management";

/** The areas rules are grouped in; the second segment of a rule id. */
export const RULE_AREAS = ["Policy", "Api", "Product", "Subscription", "Backend", "NamedValue", "Diagnostic", "Instance"] as const;

/** One of {@link RULE_AREAS}. */
export type RuleArea = (typeof RULE_AREAS)[number];

/** One place a rule failed. Several hits on the same resource become one finding. */
export interface RuleHit {
  /** ARM id of the resource at fault. */
  resourceId: string;
  /** Where it is, for people: `global policy`, `API orders-api`, `product starter`, ... */
  scope: string;
  /** 1-based line in the policy document, for policy rules. */
  line?: number;
  /** One sentence. Never carries a secret value. */
  message: string;
  /** The API id, where the resource belongs to one. */
  api?: string;
  /** Raises the rule's severity for this hit (an expired certificate, say). */
  severity?: Severity;
  /** Extra facts for the evidence (no secret values). */
  details?: Record<string, unknown>;
}

/** A hygiene rule, as the catalog lists it and `docs/rules.md` documents it. */
export interface HygieneRule {
  /** `APIM.<Area>.<Name>`, stable forever: it is part of the finding id. */
  id: string;
  area: RuleArea;
  title: string;
  severity: Severity;
  /** Why it matters, in a few sentences. */
  rationale: string;
  /** Ordered steps, each a sentence a person can act on. */
  remediation: string[];
  /** The learn.microsoft.com page that explains the fix. */
  docs: string;
  /** Thresholds and their defaults, documented with the rule. */
  config?: Record<string, string | number>;
  /** Findings of this rule are also listed in the report's "expiring soon" section. */
  expiring?: boolean;
  /** Pure: reads only the snapshot and the time passed in. */
  check(snapshot: InstanceSnapshot, now: Date): RuleHit[];
}

/** How people read the scope of a policy document. */
export function policyScopeLabel(doc: PolicyDoc): string {
  switch (doc.scope) {
    case "global":
      return "global policy";
    case "product":
      return `product ${doc.productName ?? "?"} policy`;
    case "api":
      return `API ${doc.apiName ?? "?"} policy`;
    case "operation":
      return `operation ${doc.apiName ?? "?"}/${doc.operationName ?? "?"} policy`;
    default:
      return `${String(doc.scope)} policy`;
  }
}

/** Whole days from `now` until `iso` (negative when past); undefined when `iso` is not a date. */
export function daysUntil(iso: string | undefined, now: Date): number | undefined {
  if (iso === undefined || iso === "") return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return Math.floor((t - now.getTime()) / 86_400_000);
}

/** A URL's scheme in lower case (`http`, `https`), or undefined for a relative or odd value. */
export function schemeOf(url: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url.trim());
  return m?.[1]?.toLowerCase();
}

/** A URL fit to show: user info and query values removed, since they may hold keys (`?code=`, `sig=`). */
export function redactUrl(url: string): string {
  return url
    .trim()
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, "$1***@")
    .replace(/([?&][^=&#]+)=[^&#]*/g, "$1=***");
}
