/**
 * APIM.Api.Open: API open to anonymous callers.
 */
import { LEARN, type HygieneRule } from "../rule";
import { authenticates, apiHit, apis } from "./api-support";

/** API open to anonymous callers. */
export const apiOpen: HygieneRule = {
  id: "APIM.Api.Open",
  area: "Api",
  title: "API open to anonymous callers",
  severity: "critical",
  rationale:
    "An API that requires no subscription key and has no validate-jwt, validate-azure-ad-token, validate-client-certificate or check-header anywhere in its global, API or operation policies can be called by anyone who knows its URL. Product policies do not run for calls made without a key, so they do not count.",
  remediation: [
    "Require a subscription key on the API, or add validate-jwt (or validate-azure-ad-token) at the API scope.",
    "If the API is public on purpose, suppress this finding with the reason and add a rate limit by IP.",
  ],
  docs: `${LEARN}/authentication-authorization-overview`,
  check: (snapshot) => {
    const policies = snapshot.config?.policies ?? [];
    const globalAuth = policies.some((p) => p.scope === "global" && authenticates(p.xml));
    if (globalAuth) return [];
    const baseName = (name: string) => name.split(";")[0] ?? name;
    return apis(snapshot)
      .filter((a) => !a.subscriptionRequired && a.isCurrent)
      .filter((a) => !policies.some((p) => p.scope === "api" && baseName(p.apiName ?? "") === baseName(a.name) && authenticates(p.xml)))
      .flatMap((a) => {
        const ops = (snapshot.config?.operations ?? []).filter((o) => baseName(o.apiName) === baseName(a.name));
        const open = ops.filter((o) => !policies.some((p) => p.scope === "operation" && baseName(p.apiName ?? "") === baseName(a.name) && p.operationName === o.name && authenticates(p.xml)));
        if (ops.length > 0 && open.length === 0) return [];
        return [apiHit(a, `API ${a.name} requires no subscription key and no policy authenticates its callers.`, { openOperations: open.map((o) => `${o.method} ${o.urlTemplate}`).slice(0, 20) })];
      });
  },
};
