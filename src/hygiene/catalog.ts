/**
 * The hygiene rule catalog: every rule, and the function that runs them over an estate and turns
 * their hits into `hygiene` detections.
 */
import type { Detection, Severity } from "../domain/finding";
import { SEVERITY_RANK } from "../domain/finding";
import { fingerprint } from "../domain/fingerprint";
import type { EstateSnapshot, InstanceSnapshot } from "../domain/snapshot";
import { describeError } from "../domain/errors";
import type { HygieneRule, RuleHit } from "./rule";
import { policyUnparseable } from "./rules/policy-unparseable";
import { policyMissingBase } from "./rules/policy-missing-base";
import { policyRateLimitOutsideInbound } from "./rules/policy-rate-limit-outside-inbound";
import { policyJwtNoClockSkew } from "./rules/policy-jwt-no-clock-skew";
import { policyJwtOpenIdHttp } from "./rules/policy-jwt-open-id-http";
import { policyJwtNoAudience } from "./rules/policy-jwt-no-audience";
import { policyLiteralSecret } from "./rules/policy-literal-secret";
import { policyHttpBackendService } from "./rules/policy-http-backend-service";
import { policyCorsWildcard } from "./rules/policy-cors-wildcard";
import { policySensitiveLogging } from "./rules/policy-sensitive-logging";
import { apiHttpProtocol } from "./rules/api-http-protocol";
import { apiInsecureServiceUrl } from "./rules/api-insecure-service-url";
import { apiNoDescription } from "./rules/api-no-description";
import { apiOpen } from "./rules/api-open";
import { apiVersionsWithoutSet } from "./rules/api-versions-without-set";
import { productNoSubscription } from "./rules/product-no-subscription";
import { productNoApproval } from "./rules/product-no-approval";
import { productSampleProduct } from "./rules/product-sample-product";
import { productNoTerms } from "./rules/product-no-terms";
import { subscriptionExpiring } from "./rules/subscription-expiring";
import { subscriptionSuspended } from "./rules/subscription-suspended";
import { subscriptionAllApis } from "./rules/subscription-all-apis";
import { backendTlsValidationOff } from "./rules/backend-tls-validation-off";
import { backendHttpUrl } from "./rules/backend-http-url";
import { namedValueSecretNotMarked } from "./rules/named-value-secret-not-marked";
import { namedValueSecretNotInKeyVault } from "./rules/named-value-secret-not-in-key-vault";
import { namedValueKeyVaultRefreshFailing } from "./rules/named-value-key-vault-refresh-failing";
import { diagnosticNoTelemetry } from "./rules/diagnostic-no-telemetry";
import { diagnosticSampling } from "./rules/diagnostic-sampling";
import { diagnosticAlwaysLogErrors } from "./rules/diagnostic-always-log-errors";
import { diagnosticSensitiveCapture } from "./rules/diagnostic-sensitive-capture";
import { instanceStv1 } from "./rules/instance-stv1";
import { instanceWeakProtocols } from "./rules/instance-weak-protocols";
import { instanceWeakCiphers } from "./rules/instance-weak-ciphers";
import { instanceCertificateExpiring } from "./rules/instance-certificate-expiring";
import { instancePortalNotPublished } from "./rules/instance-portal-not-published";
import { instanceNetworkDependencyFailing } from "./rules/instance-network-dependency-failing";
import { instanceNoIdentityForKeyVault } from "./rules/instance-no-identity-for-key-vault";
import { instancePremiumNoRedundancy } from "./rules/instance-premium-no-redundancy";
import { instanceSelfHostedGatewayToken } from "./rules/instance-self-hosted-gateway-token";

/** Every rule, in the order docs/rules.md lists them. */
export const RULES: readonly HygieneRule[] = [
  policyUnparseable,
  policyMissingBase,
  policyRateLimitOutsideInbound,
  policyJwtNoClockSkew,
  policyJwtOpenIdHttp,
  policyJwtNoAudience,
  policyLiteralSecret,
  policyHttpBackendService,
  policyCorsWildcard,
  policySensitiveLogging,
  apiHttpProtocol,
  apiInsecureServiceUrl,
  apiNoDescription,
  apiOpen,
  apiVersionsWithoutSet,
  productNoSubscription,
  productNoApproval,
  productSampleProduct,
  productNoTerms,
  subscriptionExpiring,
  subscriptionSuspended,
  subscriptionAllApis,
  backendTlsValidationOff,
  backendHttpUrl,
  namedValueSecretNotMarked,
  namedValueSecretNotInKeyVault,
  namedValueKeyVaultRefreshFailing,
  diagnosticNoTelemetry,
  diagnosticSampling,
  diagnosticAlwaysLogErrors,
  diagnosticSensitiveCapture,
  instanceStv1,
  instanceWeakProtocols,
  instanceWeakCiphers,
  instanceCertificateExpiring,
  instancePortalNotPublished,
  instanceNetworkDependencyFailing,
  instanceNoIdentityForKeyVault,
  instancePremiumNoRedundancy,
  instanceSelfHostedGatewayToken,
];

/** Looks a rule up by id. */
export function ruleById(id: string): HygieneRule | undefined {
  return RULES.find((r) => r.id === id);
}

/** Hits of one rule on one resource, folded into the one finding their shared id names. */
function toDetection(rule: HygieneRule, snapshot: InstanceSnapshot, unordered: RuleHit[]): Detection {
  const hits = [...unordered].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  const first = hits[0] as RuleHit;
  const severity = hits.reduce<Severity>((s, h) => (h.severity !== undefined && SEVERITY_RANK[h.severity] > SEVERITY_RANK[s] ? h.severity : s), rule.severity);
  const i = snapshot.instance;
  const lines = hits.map((h) => h.line).filter((l): l is number => l !== undefined);
  const summary = hits.length === 1 ? first.message : `${first.message} ${hits.length - 1} more place(s) in the same resource${lines.length > 1 ? ` (lines ${lines.join(", ")})` : ""}.`;
  return {
    id: fingerprint("hygiene", first.resourceId, rule.id),
    kind: "hygiene",
    rule: rule.id,
    severity,
    resourceId: first.resourceId,
    instance: i.name,
    instanceId: i.id,
    subscriptionId: i.subscriptionId,
    resourceGroup: i.resourceGroup,
    ...(first.api !== undefined ? { api: first.api } : {}),
    title: `${rule.title}: ${first.scope}`,
    summary,
    evidence: {
      rule: rule.id,
      scope: first.scope,
      ...(lines.length > 0 ? { line: lines[0], lines } : {}),
      hits: hits.map((h) => ({ message: h.message, ...(h.line !== undefined ? { line: h.line } : {}), ...(h.details ?? {}) })),
      docs: rule.docs,
    },
    remediation: [...rule.remediation],
  };
}

/**
 * Runs every rule over one instance. A rule that throws on odd data becomes one info finding on the
 * instance naming that rule (its id is keyed on `<rule>#failed`), and the other rules still run.
 */
export function checkInstance(snapshot: InstanceSnapshot, now: Date, rules: readonly HygieneRule[] = RULES): Detection[] {
  const out: Detection[] = [];
  for (const rule of rules) {
    let hits: RuleHit[];
    try {
      hits = rule.check(snapshot, now);
    } catch (err) {
      hits = [];
      const i = snapshot.instance;
      out.push({
        id: fingerprint("hygiene", i.id, `${rule.id}#failed`),
        kind: "hygiene",
        rule: rule.id,
        severity: "info",
        resourceId: i.id,
        instance: i.name,
        instanceId: i.id,
        subscriptionId: i.subscriptionId,
        resourceGroup: i.resourceGroup,
        title: `Rule ${rule.id} could not check ${i.name}`,
        summary: `The rule stopped on unexpected data: ${describeError(err)}`,
        evidence: { rule: rule.id, failed: true },
        remediation: ["Report this to the apimbot maintainers with the rule id; the other rules ran."],
      });
    }
    const byResource = new Map<string, RuleHit[]>();
    for (const h of hits) {
      const key = h.resourceId.toLowerCase();
      byResource.set(key, [...(byResource.get(key) ?? []), h]);
    }
    for (const group of byResource.values()) out.push(toDetection(rule, snapshot, group));
  }
  return out;
}

/** Runs every rule over every instance of the estate whose configuration was read. */
export function checkEstate(estate: EstateSnapshot, now: Date, rules: readonly HygieneRule[] = RULES): Detection[] {
  return estate.instances.flatMap((s) => checkInstance(s, now, rules));
}
