/**
 * Removes anything that looks like a credential from free text (gateway error messages, service error
 * messages) before it leaves the collect layer. It errs on the side of redacting too much.
 */
export function redactSecrets(text: string): string {
  return (
    text
      // JSON Web Tokens: base64url header starting `eyJ` ({"), a payload, and usually a signature.
      .replace(/eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,2}/g, "[redacted-jwt]")
      .replace(/\b(Bearer|Basic|SharedAccessSignature)\s+[^\s,;"']+/gi, "$1 [redacted]")
      .replace(
        /\b(ocp-apim-subscription-key|subscription-key|api[-_]?key|access[-_]?token|refresh[-_]?token|id[-_]?token|client[-_]?secret|password|secret|sig|signature|token|key)(\s*[=:]\s*)("?)(?!\[redacted)[^\s&,;"']+/gi,
        "$1$2$3[redacted]",
      )
      // Subscription keys are 32 hex digits; other keys and SAS signatures are long base64 runs.
      .replace(/\b[0-9a-fA-F]{32,}\b/g, "[redacted]")
      .replace(/[A-Za-z0-9+/=_-]{40,}/g, (run) => (looksLikeKey(run) ? "[redacted]" : run))
  );
}

function looksLikeKey(run: string): boolean {
  const mixed = /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
  // ARM ids and URL paths mix slashes with hyphenated GUIDs; base64 never has both.
  const isPath = run.includes("/") && run.includes("-");
  return mixed && !isPath;
}
