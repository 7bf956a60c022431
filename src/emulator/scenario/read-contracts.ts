/** The subscription contracts (keys) of an instance. */
import type { TimeSpec } from "../relative-time";
import { opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A subscription contract. */
export interface ScenarioSubscriptionContract {
  name: string;
  displayName?: string;
  /** `/apis`, `/apis/<api>` or `/products/<product>`. */
  scope: string;
  /** Name of a user of the instance. */
  owner?: string;
  state: string;
  createdDate?: TimeSpec;
  startDate?: TimeSpec;
  expirationDate?: TimeSpec;
  endDate?: TimeSpec;
  notificationDate?: TimeSpec;
  allowTracing?: boolean;
}

/** Names the contracts of an instance can refer to, lower case. */
export interface ContractRefs {
  apis: ReadonlySet<string>;
  products: ReadonlySet<string>;
  users: ReadonlySet<string>;
}

/** Reads the instance's `subscriptions[]`; scopes and owners must exist on the instance. */
export function readContracts(r: ScenarioReader, o: Obj, at: string, refs: ContractRefs): ScenarioSubscriptionContract[] {
  return r.list(o, "subscriptions", at, "subscription", (s, p) => {
    const so = r.object(s, p, ["name", "displayName", "scope", "owner", "state", "createdDate", "startDate", "expirationDate", "endDate", "notificationDate", "allowTracing"]);
    const scope = r.reqStr(so, "scope", p);
    const m = /^\/(apis|products)(?:\/([^/]+))?$/.exec(scope);
    if (!m || (m[1] === "products" && !m[2])) r.fail(`${p}.scope`, `"${scope}" is not a scope: use "/apis", "/apis/<api>" or "/products/<product>"`);
    if (m[2] !== undefined) {
      const isApi = m[1] === "apis";
      r.ref(isApi ? refs.apis : refs.products, m[2], `${p}.scope`, isApi ? "API" : "product", `this instance's ${m[1]}[]`);
    }
    const owner = r.str(so, "owner", p);
    if (owner !== undefined) r.ref(refs.users, owner, `${p}.owner`, "user", "this instance's users[]");
    return {
      name: r.name(so, "name", p),
      ...opt("displayName", r.str(so, "displayName", p)),
      scope,
      ...opt("owner", owner),
      state: r.str(so, "state", p, { oneOf: ["active", "suspended", "submitted", "rejected", "cancelled", "expired"] }) ?? "active",
      ...opt("createdDate", r.time(so, "createdDate", p)),
      ...opt("startDate", r.time(so, "startDate", p)),
      ...opt("expirationDate", r.time(so, "expirationDate", p)),
      ...opt("endDate", r.time(so, "endDate", p)),
      ...opt("notificationDate", r.time(so, "notificationDate", p)),
      ...opt("allowTracing", r.bool(so, "allowTracing", p)),
    };
  });
}
