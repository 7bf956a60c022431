/**
 * Helpers shared by the policy rules.
 */
import type { InstanceSnapshot, PolicyDoc } from "../../domain/snapshot";
import { policyScopeLabel, type RuleHit } from "../rule";
import { descendants, isExpression, parsePolicyDoc, type PolicyElement } from "../policy-xml";

/** The sections of a policy document. */
export const SECTIONS = ["inbound", "backend", "outbound", "on-error"];

/** Runs `visit` over every policy document that parses; unparseable ones are the Unparseable rule's. */
export function eachParsed(snapshot: InstanceSnapshot, visit: (doc: PolicyDoc, root: PolicyElement, hit: (el: PolicyElement, message: string, details?: Record<string, unknown>) => RuleHit) => RuleHit[]): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const doc of snapshot.config?.policies ?? []) {
    const parsed = parsePolicyDoc(doc);
    if (!parsed.ok) continue;
    const make = (el: PolicyElement, message: string, details?: Record<string, unknown>): RuleHit => ({
      resourceId: doc.id,
      scope: policyScopeLabel(doc),
      line: el.line,
      message,
      ...(doc.apiName !== undefined ? { api: doc.apiName } : {}),
      ...(details !== undefined ? { details } : {}),
    });
    hits.push(...visit(doc, parsed.root, make));
  }
  return hits;
}

/** Every element below `root` with one of the names. */
export function named(root: PolicyElement, ...names: string[]): PolicyElement[] {
  return descendants(root).filter((e) => names.includes(e.name));
}

/** Trimmed text of the direct children called `name`. */
export function childText(el: PolicyElement, name: string): string[] {
  return el.children.filter((c) => c.name === name).map((c) => c.text.trim());
}

/** A value that holds a literal, not a `{{named value}}` reference nor an expression. */
export function isLiteral(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim();
  return v !== "" && !isExpression(v) && !/\{\{[^}]+\}\}/.test(v);
}

/** Headers that carry credentials. */
export const SECRET_HEADERS = /^(authorization|proxy-authorization|ocp-apim-subscription-key|x-api-key|api-key|apikey|x-functions-key|x-ms-functions-key|subscription-key|x-auth-token|x-access-token)$/i;
/** Query parameters that carry credentials (`code` for Azure Functions keys, `sig` for SAS). */
export const SECRET_QUERY = /^(code|key|api-key|apikey|api_key|subscription-key|sig|token|access_token|client_secret)$/i;
