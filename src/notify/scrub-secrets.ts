/**
 * Last line of defence before text reaches a card: collect already redacts, but anything that looks like
 * a credential is masked here too, so one slip upstream never shows a key to a whole channel.
 */

const MASK = "[redacted]";

const PATTERNS: RegExp[] = [
  // JSON Web Tokens: three base64url parts, the first two starting with "eyJ".
  /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  // Authorization header values.
  /\b(Bearer|Basic|SharedAccessSignature)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  // SAS signatures and account keys in query strings or connection strings.
  /\b(sig|signature|AccountKey|SharedAccessKey|client_secret|code|key|password|pwd|token|secret)=([^&;\s"']{4,})/gi,
  // Subscription key headers written out in text.
  /\b(Ocp-Apim-Subscription-Key|api-key|x-api-key)\s*[:=]\s*["']?[^\s"',;]{6,}/gi,
  // Long opaque runs: APIM keys are 32 hex characters, storage keys 88 base64 characters.
  /(?<![A-Za-z0-9/+_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9/+_-])/g,
];

/** Field names whose values are never shown, whatever they hold. */
const SECRET_NAMES = /^(primaryKey|secondaryKey|key|keys|secret|password|token|accessToken|connectionString|clientSecret|sig|signature|authorization)$/i;

/** Masks anything in `text` that looks like a key, token or signature. */
export function scrubText(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match, name?: string) => {
      if (typeof name === "string" && match.includes("=")) return `${name}=${MASK}`;
      if (typeof name === "string" && /^(Bearer|Basic|SharedAccessSignature)$/i.test(name)) return `${name} ${MASK}`;
      if (typeof name === "string" && /[:=]/.test(match)) return `${name}: ${MASK}`;
      return looksLikeIdentifier(match) ? match : MASK;
    });
  }
  return out;
}

/** ARM ids, GUIDs and paths are long but not secret: keep them readable. */
function looksLikeIdentifier(run: string): boolean {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(run)) return true;
  // Words joined by hyphens or underscores (resource names) rather than one opaque blob.
  const parts = run.split(/[-_/]/).filter((p) => p.length > 0);
  return parts.length >= 3 && parts.every((p) => p.length <= 24);
}

/** A deep copy of `value` with secret-named fields dropped and every string scrubbed. */
export function scrubValue(value: unknown): unknown {
  if (typeof value === "string") return scrubText(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_NAMES.test(k) && typeof v === "string" ? MASK : scrubValue(v);
    }
    return out;
  }
  return value;
}

/** A deep copy of `value` with every string scrubbed and every key kept (for card JSON, where `value` is a fact). */
export function scrubStrings<T>(value: T): T {
  if (typeof value === "string") return scrubText(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubStrings(v);
    return out as T;
  }
  return value;
}
