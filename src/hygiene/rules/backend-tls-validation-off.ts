/**
 * APIM.Backend.TlsValidationOff: Backend certificate validation turned off.
 */
import { LEARN, type HygieneRule } from "../rule";

/** Backend certificate validation turned off. */
export const backendTlsValidationOff: HygieneRule = {
  id: "APIM.Backend.TlsValidationOff",
  area: "Backend",
  title: "Backend certificate validation turned off",
  severity: "critical",
  rationale:
    "With certificate chain or name validation off, the gateway talks to whoever answers at the backend address, so the TLS connection protects nothing against interception. It is usually switched off for a test certificate and forgotten.",
  remediation: ["Give the backend a certificate from a trusted authority that matches its host name (or upload the CA to API Management).", "Turn validateCertificateChain and validateCertificateName back on."],
  docs: `${LEARN}/backends`,
  check: (snapshot) =>
    (snapshot.config?.backends ?? [])
      .filter((b) => b.validateCertificateChain === false || b.validateCertificateName === false)
      .map((b) => ({
        resourceId: b.id,
        scope: `backend ${b.name}`,
        message: `Backend ${b.name} does not validate the certificate ${[b.validateCertificateChain === false ? "chain" : "", b.validateCertificateName === false ? "name" : ""].filter((x) => x !== "").join(" or ")}.`,
        details: { validateCertificateChain: b.validateCertificateChain, validateCertificateName: b.validateCertificateName },
      })),
};
