/**
 * `certificate-expiring`: custom hostname certificates, and certificates uploaded to the instance,
 * that expire within the warning window.
 */
import type { Detection } from "../domain/finding";
import { fingerprint } from "../domain/fingerprint";
import type { InstanceSnapshot } from "../domain/snapshot";
import { portalUrl } from "../playbook/portal-url";
import { remediation } from "../playbook/playbook";
import { formatDay, formatDays, parseTime } from "./format";
import { instanceFields } from "./instance-fields";
import type { DetectContext, Detector } from "./types";

const DAY_MS = 86_400_000;

interface CertRef {
  /** ARM id of the resource at fault. */
  resourceId: string;
  what: string;
  hostName?: string;
  expiry: string;
  thumbprint: string;
  subject: string;
  keyVault?: string;
}

function certificates(snapshot: InstanceSnapshot): CertRef[] {
  const refs: CertRef[] = [];
  const seen = new Set<string>();
  for (const h of snapshot.instance.hostnameConfigurations) {
    if (!h.certificate) continue;
    seen.add(h.certificate.thumbprint.toLowerCase());
    refs.push({
      // A hostname has no ARM id of its own; the instance plus the hostname keeps findings apart.
      resourceId: `${snapshot.instance.id}/hostnameConfigurations/${h.hostName}`,
      what: `${h.type} hostname ${h.hostName}`,
      hostName: h.hostName,
      expiry: h.certificate.expiry,
      thumbprint: h.certificate.thumbprint,
      subject: h.certificate.subject,
      keyVault: h.keyVaultId,
    });
  }
  for (const c of snapshot.config?.certificates ?? []) {
    if (seen.has(c.thumbprint.toLowerCase())) continue;
    refs.push({ resourceId: c.id, what: `certificate ${c.name}`, expiry: c.expirationDate, thumbprint: c.thumbprint, subject: c.subject, keyVault: c.keyVaultSecretId });
  }
  return refs;
}

function detect(ctx: DetectContext): Detection[] {
  const cfg = ctx.config.certificates;
  const out: Detection[] = [];
  for (const snapshot of ctx.estate.instances) {
    for (const cert of certificates(snapshot)) {
      const expiry = parseTime(cert.expiry);
      if (!expiry) continue;
      const days = (expiry.getTime() - ctx.now.getTime()) / DAY_MS;
      if (days > cfg.warnDays) continue;
      const whole = Math.max(0, Math.floor(days));
      const expired = days <= 0;
      const name = snapshot.instance.name;
      out.push({
        id: fingerprint("certificate-expiring", cert.resourceId),
        kind: "certificate-expiring",
        severity: days <= cfg.criticalDays ? "critical" : "warning",
        resourceId: cert.resourceId,
        ...instanceFields(snapshot.instance),
        title: expired
          ? `Certificate for ${cert.what} on ${name} expired on ${formatDay(expiry.toISOString())}`
          : `Certificate for ${cert.what} on ${name} expires in ${whole === 0 ? "under a day" : formatDays(whole)} (${formatDay(expiry.toISOString())})`,
        summary: `The certificate ${cert.subject} (thumbprint ${cert.thumbprint}) used for ${cert.what} ${expired ? "has expired: clients that validate it fail their TLS handshake" : `expires on ${formatDay(expiry.toISOString())}`}. ${cert.keyVault ? "It is referenced from Key Vault, so a new version of the secret is picked up automatically if the identifier is unversioned." : "It was uploaded directly, so someone has to upload the renewed one."}`,
        evidence: { subject: cert.subject, thumbprint: cert.thumbprint, expiry: cert.expiry, daysLeft: Math.round(days * 10) / 10, hostName: cert.hostName ?? null, keyVault: cert.keyVault ?? null },
        remediation: remediation("certificate-expiring", undefined, {
          instance: name,
          resourceGroup: snapshot.instance.resourceGroup,
          hostName: cert.hostName ?? cert.what,
          expires: formatDay(expiry.toISOString()),
        }),
        portalUrl: portalUrl(snapshot.instance.id, "overview"),
      });
    }
  }
  return out;
}

/** The certificate expiry detector. */
export const certificatesDetector: Detector = {
  id: "certificates",
  kinds: ["certificate-expiring"],
  title: "Expiring certificates",
  description:
    "Certificates bound to custom hostnames (gateway, portal, management, ...) and certificates uploaded to the instance that expire within the warning window; critical within the critical window or once expired. Read on the same slower cadence as subscription contracts.",
  defaults: (c) => ({ "certificates.warnDays": c.certificates.warnDays, "certificates.criticalDays": c.certificates.criticalDays }),
  notes: ["API Management refreshes certificates referenced from Key Vault every four hours (Azure update, April 2019); a versioned secret identifier stops that refresh."],
  detect,
};
