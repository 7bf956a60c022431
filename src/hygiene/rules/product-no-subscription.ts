/**
 * APIM.Product.NoSubscription: Product requires no subscription.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Product requires no subscription. */
export const productNoSubscription: HygieneRule = {
  id: "APIM.Product.NoSubscription",
  area: "Product",
  title: "Product requires no subscription",
  severity: "warning",
  rationale: "An open product lets anyone call its APIs without a key, so calls cannot be traced to a consumer, limited per consumer or cut off.",
  remediation: ["Turn on 'Requires subscription' for the product.", "If anonymous access is intended, protect the APIs with validate-jwt and a rate limit, and suppress this finding with the reason."],
  docs: `${LEARN}/api-management-howto-add-products`,
  check: (snapshot) =>
    (snapshot.config?.products ?? []).filter((p) => !p.subscriptionRequired).map((p) => ({ resourceId: p.id, scope: `product ${p.name}`, message: `Product ${p.name} requires no subscription.`, details: { state: p.state } })),
};
