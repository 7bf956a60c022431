/**
 * APIM.Instance.WeakProtocols: TLS 1.0, TLS 1.1 or SSL 3.0 enabled.
 */
import { LEARN, type HygieneRule } from "../rule";
import { PROTOCOL_KEYS, FIXED_TLS_TIERS, instanceHit, switchOn } from "./instance-support";

/** TLS 1.0, TLS 1.1 or SSL 3.0 enabled. */
export const instanceWeakProtocols: HygieneRule = {
  id: "APIM.Instance.WeakProtocols",
  area: "Instance",
  title: "TLS 1.0, TLS 1.1 or SSL 3.0 enabled",
  severity: "warning",
  rationale:
    "TLS 1.0, TLS 1.1 and SSL 3.0 are deprecated and support for them in API Management is being retired. Instances created before April 2018 had them on unless they were switched off explicitly.",
  remediation: ["Find the clients still using old protocols (gateway logs) and upgrade them.", "Under Protocols + ciphers, turn off TLS 1.0, TLS 1.1 and SSL 3.0 for the client and backend sides."],
  docs: `${LEARN}/api-management-howto-manage-protocols-ciphers`,
  check: (snapshot) => {
    const i = snapshot.instance;
    if (FIXED_TLS_TIERS.includes(String(i.sku.name))) return [];
    const on = PROTOCOL_KEYS.filter(([key]) => switchOn(i, key)).map(([, label]) => label);
    return on.length === 0 ? [] : [instanceHit(i, `Instance ${i.name} accepts ${on.join(", ")}.`, { enabled: on })];
  },
};
