/**
 * APIM.Instance.SelfHostedGatewayToken: Self-hosted gateway tokens need rotating.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Self-hosted gateway tokens need rotating. */
export const instanceSelfHostedGatewayToken: HygieneRule = {
  id: "APIM.Instance.SelfHostedGatewayToken",
  area: "Instance",
  title: "Self-hosted gateway tokens need rotating",
  severity: "info",
  rationale: "A self-hosted gateway authenticates with an access token that lasts at most 30 days. When it expires, the gateway stops receiving configuration and reporting status, and eventually serves stale configuration.",
  remediation: ["Rotate the gateway token before it expires and update the gateway deployment's secret.", "Automate it, or move the gateway to Microsoft Entra authentication.", "Subscribe to the token near-expiry Event Grid event."],
  docs: `${LEARN}/self-hosted-gateway-default-authentication`,
  check: (snapshot) =>
    (snapshot.config?.gateways ?? []).map((g) => ({ resourceId: g.id, scope: `gateway ${g.name}`, message: `Self-hosted gateway ${g.name} uses tokens that last at most 30 days; check when it was last rotated.`, details: { location: g.location } })),
};
