/**
 * `keyvault-refresh-failed`: named values backed by Key Vault whose last refresh did not succeed.
 */
import type { Detection } from "../domain/finding";
import { fingerprint } from "../domain/fingerprint";
import type { NamedValueInfo } from "../domain/snapshot";
import { portalUrl } from "../playbook/portal-url";
import { remediation } from "../playbook/playbook";
import { instanceFields } from "./instance-fields";
import { redactSecrets } from "./redact";
import type { DetectContext, Detector } from "./types";

/** True when a named value's last Key Vault refresh reported anything but success. */
export function refreshFailed(nv: NamedValueInfo): boolean {
  const code = nv.keyVault?.lastStatus?.code;
  return code !== undefined && code !== "" && code.toLowerCase() !== "success";
}

/** The secret identifier without its version segment, which is all the playbook needs to name. */
function secretName(identifier: string | undefined): string | undefined {
  if (!identifier) return undefined;
  const m = /^(https:\/\/[^/]+\/secrets\/[^/]+)/i.exec(identifier);
  return m?.[1] ?? identifier;
}

function detect(ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  for (const snapshot of ctx.estate.instances) {
    for (const nv of snapshot.config?.namedValues ?? []) {
      if (!nv.keyVault || !refreshFailed(nv)) continue;
      const status = nv.keyVault.lastStatus ?? {};
      const identity = nv.keyVault.identityClientId ? `the user-assigned identity ${nv.keyVault.identityClientId}` : "the system-assigned identity";
      const name = snapshot.instance.name;
      const message = status.message ? redactSecrets(status.message) : undefined;
      out.push({
        id: fingerprint("keyvault-refresh-failed", nv.id),
        kind: "keyvault-refresh-failed",
        severity: "warning",
        resourceId: nv.id,
        ...instanceFields(snapshot.instance),
        cause: status.code,
        title: `Named value ${nv.displayName} on ${name} cannot refresh from Key Vault (${status.code})`,
        summary: `The last refresh of ${nv.displayName} from ${secretName(nv.keyVault.secretIdentifier) ?? "Key Vault"}${status.timeStampUtc ? ` at ${status.timeStampUtc}` : ""} failed with ${status.code}${message ? `: ${message}` : ""}. Policies keep the last value fetched, so nothing breaks yet, but a rotated secret will not reach the gateway.`,
        evidence: {
          namedValue: nv.name,
          displayName: nv.displayName,
          secretIdentifier: nv.keyVault.secretIdentifier ?? null,
          identity,
          code: status.code ?? null,
          message: message ?? null,
          at: status.timeStampUtc ?? null,
        },
        remediation: remediation("keyvault-refresh-failed", undefined, {
          instance: name,
          resourceGroup: snapshot.instance.resourceGroup,
          namedValue: nv.displayName,
          secretIdentifier: secretName(nv.keyVault.secretIdentifier),
          identity,
        }),
        portalUrl: portalUrl(snapshot.instance.id, "overview"),
      });
    }
  }
  return out;
}

/** The Key Vault named value detector. */
export const keyVaultDetector: Detector = {
  id: "keyvault",
  kinds: ["keyvault-refresh-failed"],
  title: "Key Vault named values that stopped refreshing",
  description:
    "Named values backed by a Key Vault secret whose `keyVault.lastStatus.code` is anything but success. The finding names the secret identifier (never its value) and the identity that reads it.",
  defaults: () => ({ "lastStatus.code": "anything but Success" }),
  notes: [
    "REST reference (KeyVaultContractProperties): `lastStatus` tells how the latest sync of the secret from Key Vault went, and pinning a secret version in the identifier turns automatic refresh off. Secrets rotated in Key Vault reach API Management within four hours, or at once with the refreshSecret operation.",
  ],
  detect,
};
