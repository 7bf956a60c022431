/** The products of an instance and the APIs each one bundles. */
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A product: a bundle of APIs that subscriptions are issued for. */
export interface ScenarioProduct {
  name: string;
  displayName: string;
  description?: string;
  state: string;
  subscriptionRequired: boolean;
  approvalRequired?: boolean;
  subscriptionsLimit?: number;
  terms?: string;
  apis: string[];
  policy?: string;
}

/** Reads `products[]`; the APIs they list must exist on the instance. */
export function readProducts(r: ScenarioReader, o: Obj, at: string, apiNames: ReadonlySet<string>): ScenarioProduct[] {
  return r.list(o, "products", at, "product", (pr, p) => {
    const po = r.object(pr, p, ["name", "displayName", "description", "state", "subscriptionRequired", "approvalRequired", "subscriptionsLimit", "terms", "apis", "policy"]);
    const productApis = r.strings(po, "apis", p);
    productApis.forEach((x, j) => r.ref(apiNames, x, `${p}.apis[${j}]`, "API", "this instance's apis[]"));
    return {
      name: r.name(po, "name", p),
      displayName: r.reqStr(po, "displayName", p),
      ...opt("description", r.str(po, "description", p)),
      state: r.str(po, "state", p, { oneOf: ["published", "notPublished"] }) ?? "published",
      subscriptionRequired: r.bool(po, "subscriptionRequired", p) ?? true,
      ...opt("approvalRequired", r.bool(po, "approvalRequired", p)),
      ...opt("subscriptionsLimit", r.num(po, "subscriptionsLimit", p, { min: 0, integer: true })),
      ...opt("terms", r.str(po, "terms", p)),
      apis: productApis,
      ...opt("policy", r.policy(po, "policy", p)),
    };
  });
}
