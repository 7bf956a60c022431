/**
 * APIM.Instance.WeakCiphers: Weak cipher suites enabled.
 */
import { LEARN, type HygieneRule } from "../rule";
import { GATEWAY_SECURITY, WEAK_CIPHERS, FIXED_TLS_TIERS, instanceHit, switchOn } from "./instance-support";

/** Weak cipher suites enabled. */
export const instanceWeakCiphers: HygieneRule = {
  id: "APIM.Instance.WeakCiphers",
  area: "Instance",
  title: "Weak cipher suites enabled",
  severity: "warning",
  rationale: "3DES and the CBC and non-forward-secret RSA suites are considered weak. Leaving them on lets a client or an attacker negotiate them.",
  remediation: ["Under Protocols + ciphers, turn off 3DES and the listed suites once clients no longer need them."],
  docs: `${LEARN}/api-management-howto-manage-protocols-ciphers`,
  check: (snapshot) => {
    const i = snapshot.instance;
    if (FIXED_TLS_TIERS.includes(String(i.sku.name))) return [];
    const on = WEAK_CIPHERS.filter((c) => {
      const key = `Ciphers.${c}`;
      // Only 3DES followed the pre-2018 default; other suites count only when explicitly on.
      return c === "TripleDes168" ? switchOn(i, key) : Object.entries(i.customProperties).some(([k, v]) => k.toLowerCase() === (GATEWAY_SECURITY + key).toLowerCase() && v.trim().toLowerCase() === "true");
    });
    return on.length === 0 ? [] : [instanceHit(i, `Instance ${i.name} allows weak ciphers: ${on.join(", ")}.`, { enabled: on })];
  },
};
