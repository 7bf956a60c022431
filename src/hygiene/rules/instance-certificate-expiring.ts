/**
 * APIM.Instance.CertificateExpiring: Custom domain certificate expires within 30 days.
 */
import { daysUntil, LEARN, type HygieneRule } from "../rule";
import { CERTIFICATE_EXPIRY_DAYS, instanceHit } from "./instance-support";

/** Custom domain certificate expires within 30 days. */
export const instanceCertificateExpiring: HygieneRule = {
  id: "APIM.Instance.CertificateExpiring",
  area: "Instance",
  title: "Custom domain certificate expires within 30 days",
  severity: "warning",
  expiring: true,
  config: { withinDays: CERTIFICATE_EXPIRY_DAYS, criticalWithinDays: 7 },
  rationale: "When a custom domain's certificate expires, clients refuse the TLS handshake and every call on that host name fails. Certificates referenced from Key Vault renew only if the vault holds a newer version.",
  remediation: ["Renew the certificate, or check that Key Vault auto-renewal ran.", "Upload the new certificate or point the host name at the new Key Vault version; API Management picks up Key Vault versions within hours."],
  docs: `${LEARN}/configure-custom-domain`,
  check: (snapshot, now) =>
    snapshot.instance.hostnameConfigurations.flatMap((h) => {
      if (h.certificate === undefined || (h.certificateSource ?? "").toLowerCase() === "managed") return [];
      const days = daysUntil(h.certificate.expiry, now);
      if (days === undefined || days > CERTIFICATE_EXPIRY_DAYS) return [];
      return [
        {
          ...instanceHit(snapshot.instance, days < 0 ? `The certificate for ${h.hostName} expired on ${h.certificate.expiry.slice(0, 10)}.` : `The certificate for ${h.hostName} expires in ${days} day(s), on ${h.certificate.expiry.slice(0, 10)}.`, {
            hostName: h.hostName,
            type: h.type,
            expiry: h.certificate.expiry,
            daysLeft: days,
            thumbprint: h.certificate.thumbprint,
          }),
          ...(days <= 7 ? { severity: "critical" as const } : {}),
        },
      ];
    }),
};
