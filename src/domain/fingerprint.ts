/**
 * Stable identity of a finding: a hash of its identifying labels, never of its text.
 */

/** 64-bit FNV-1a over UTF-16 code units, as 16 hex digits. Pure, so the domain needs no crypto import. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, "0");
}

/**
 * The id of a finding. Identity is `kind` + `resourceId` (case-insensitive, as ARM ids are), plus a
 * subject such as the `cause` of an auth burst or the rule id of a hygiene finding.
 */
export function fingerprint(kind: string, resourceId: string, subject?: string): string {
  const labels = [kind, resourceId.toLowerCase()];
  if (subject !== undefined && subject !== "") labels.push(subject);
  return fnv1a64(labels.join("\u0000"));
}
