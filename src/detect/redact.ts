/**
 * Last line of defence before text reaches a card: anything that looks like a credential is replaced.
 * The collect layer already redacts log messages; this catches what a new message format slips past.
 */

const PATTERNS: [RegExp, string][] = [
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[redacted token]"],
  [/\b(Bearer|Basic|SharedAccessSignature)\s+[^\s,;]+/gi, "$1 [redacted]"],
  [/\b(subscription-key|ocp-apim-subscription-key|sig|signature|token|access_token|code|secret|password|pwd|key)(\s*[=:]\s*)("?)[^\s&,;"]+/gi, "$1$2$3[redacted]"],
  [/\b[A-Za-z0-9+/_-]{32,}={0,2}/g, "[redacted]"],
];

/** The text with token-like and key-like substrings replaced. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
