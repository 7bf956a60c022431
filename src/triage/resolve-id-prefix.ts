/**
 * Alert ids are long hex fingerprints; people type the first few characters, as with git commits.
 */

/** Fewest characters accepted, so that a typo is unlikely to hit some other alert. */
export const MIN_ID_PREFIX = 6;

/** The one id starting with `prefix` (at least 6 characters), or an error naming what went wrong. */
export function resolveIdPrefix(prefix: string, ids: Iterable<string>): { id: string } | { error: string } {
  const wanted = prefix.trim().toLowerCase();
  if (wanted.length < MIN_ID_PREFIX) {
    return { error: `Alert id "${prefix.trim()}" is too short: give at least ${MIN_ID_PREFIX} characters of the id shown on the card.` };
  }
  const matches: string[] = [];
  for (const id of ids) {
    const lower = id.toLowerCase();
    if (lower === wanted) return { id };
    if (lower.startsWith(wanted) && !matches.includes(id)) matches.push(id);
  }
  if (matches.length === 1) return { id: matches[0] as string };
  if (matches.length === 0) return { error: `No open alert has an id starting with "${wanted}". The \`status\` command lists the open ones.` };
  const shown = [...matches].sort().slice(0, 5);
  const more = matches.length > shown.length ? ` and ${matches.length - shown.length} more` : "";
  return { error: `"${wanted}" matches ${matches.length} alerts (${shown.join(", ")}${more}); type more characters of the id.` };
}
