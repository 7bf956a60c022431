/**
 * Realistic detections and a small sweep runner shared by the triage tests.
 */
import { fingerprint } from "../../src/domain/fingerprint";
import type { Detection, Finding, FindingKind, Severity } from "../../src/domain/finding";
import type { PriorState } from "../../src/domain/prior";
import { DEFAULT_TRIAGE_CONFIG, emptyMutes, triage, type MuteSet, type TriageConfig, type TriageResult } from "../../src/triage";

export const SUB = "3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b";
export const PAY_ID = `/subscriptions/${SUB}/resourceGroups/rg-payments/providers/Microsoft.ApiManagement/service/pay-apim-prod`;
export const ORDERS_ID = `/subscriptions/${SUB}/resourceGroups/rg-orders/providers/Microsoft.ApiManagement/service/orders-apim-prod`;

/** A gateway 5xx spike on payments-api, as the spike detector reports it. */
export function spike(severity: Severity = "warning", rate = 0.35): Detection {
  const resourceId = `${PAY_ID}/apis/payments-api`;
  return {
    id: fingerprint("gateway-5xx-spike", resourceId),
    kind: "gateway-5xx-spike",
    severity,
    resourceId,
    instance: "pay-apim-prod",
    instanceId: PAY_ID,
    subscriptionId: SUB,
    resourceGroup: "rg-payments",
    api: "payments-api",
    cause: "BackendConnectionFailure",
    title: `5xx spike on payments-api (pay-apim-prod): ${Math.round(rate * 100)}% of 3,612 requests, baseline 0.5%`,
    summary: "The gateway could not connect to the backend for a third of the calls in the last 15 minutes.",
    evidence: { requests: 3612, failures: Math.round(3612 * rate), rate, baseline: 0.005, reasons: [{ reason: "BackendConnectionFailure", count: 1204 }] },
    remediation: ["Check that the backend https://payments.internal.contoso.com is reachable from the gateway subnet.", "Look at the backend's own health and recent deployments."],
    series: [
      { time: "2026-03-10T09:00:00Z", value: 0.004 },
      { time: "2026-03-10T09:05:00Z", value: rate },
    ],
  };
}

/** An auth burst of TokenAudienceNotAllowed on orders-api. */
export function authBurst(severity: Severity = "warning"): Detection {
  const resourceId = `${ORDERS_ID}/apis/orders-api`;
  return {
    id: fingerprint("auth-failure-burst", resourceId, "TokenAudienceNotAllowed"),
    kind: "auth-failure-burst",
    severity,
    resourceId,
    instance: "orders-apim-prod",
    instanceId: ORDERS_ID,
    subscriptionId: SUB,
    resourceGroup: "rg-orders",
    api: "orders-api",
    cause: "TokenAudienceNotAllowed",
    title: "401 burst on orders-api (orders-apim-prod): audience mismatch",
    summary: "41% of calls fail validate-jwt because the token audience is not one the policy allows.",
    evidence: { requests: 2210, failures: 906, rate: 0.41, baseline: 0.02 },
    remediation: ["Compare the aud claim of a failing token with the audiences in the validate-jwt policy.", "Add the client's audience or fix the client's scope."],
  };
}

/** A subscription contract expiring in 5 days on orders-apim-prod. */
export function expiring(severity: Severity = "warning"): Detection {
  const resourceId = `${ORDERS_ID}/subscriptions/partner-fabrikam`;
  return {
    id: fingerprint("subscription-expiring", resourceId),
    kind: "subscription-expiring",
    severity,
    resourceId,
    instance: "orders-apim-prod",
    instanceId: ORDERS_ID,
    subscriptionId: SUB,
    resourceGroup: "rg-orders",
    title: "Subscription partner-fabrikam on orders-apim-prod expires in 5 days",
    summary: "Owned by dana@fabrikam.com, scoped to product partners.",
    evidence: { daysLeft: 5, owner: "dana@fabrikam.com", scope: "/products/partners" },
    remediation: ["Ask the owner whether the subscription is still needed.", "Extend the expiration date on the subscription."],
  };
}

/** Carries a triage result forward as the next sweep's prior state, as the store would. */
export function carry(result: TriageResult): { prior: PriorState; priorDetails: Map<string, Finding> } {
  return {
    prior: { findings: new Map(result.nextFindings.map((p) => [p.id, p])), instances: new Map() },
    priorDetails: new Map(result.findings.map((f) => [f.id, f])),
  };
}

/** Drives sweeps one after the other, carrying state like the store does. */
export class Sweeper {
  private state: { prior: PriorState; priorDetails: Map<string, Finding> } = { prior: { findings: new Map(), instances: new Map() }, priorDetails: new Map() };
  mutes: MuteSet = emptyMutes();
  covered: (kind: FindingKind, instanceId: string) => boolean = () => true;
  config: TriageConfig = DEFAULT_TRIAGE_CONFIG;

  /** Starts from a given memory, e.g. one a store handed back. */
  seed(prior: PriorState, priorDetails: Map<string, Finding>): void {
    this.state = { prior, priorDetails };
  }

  sweep(at: string, detections: Detection[]): TriageResult {
    const result = triage({ detections, ...this.state, mutes: this.mutes, now: new Date(at), covered: this.covered, config: this.config });
    const kept = new Map(this.state.priorDetails);
    for (const f of result.findings) kept.set(f.id, f);
    this.state = { prior: { findings: new Map(result.nextFindings.map((p) => [p.id, p])), instances: new Map() }, priorDetails: kept };
    return result;
  }
}

/** `reason` per finding id, for compact assertions. */
export function reasons(result: TriageResult): Record<string, string> {
  return Object.fromEntries(result.notifications.map((n) => [n.finding.id, n.reason]));
}
