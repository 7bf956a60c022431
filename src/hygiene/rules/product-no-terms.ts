/**
 * APIM.Product.NoTerms: Product has no terms of use.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Product has no terms of use. */
export const productNoTerms: HygieneRule = {
  id: "APIM.Product.NoTerms",
  area: "Product",
  title: "Product has no terms of use",
  severity: "info",
  rationale: "Terms are shown to developers when they subscribe. Without them, consumers have not agreed to any rule of use.",
  remediation: ["Add terms of use to the product."],
  docs: `${LEARN}/api-management-howto-add-products`,
  check: (snapshot) =>
    (snapshot.config?.products ?? [])
      .filter((p) => p.subscriptionRequired && (p.terms ?? "").trim() === "")
      .map((p) => ({ resourceId: p.id, scope: `product ${p.name}`, message: `Product ${p.name} has no terms of use.` })),
};
