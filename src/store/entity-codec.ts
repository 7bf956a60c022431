/**
 * Fitting findings into Table Storage: a string property holds at most 64 KiB (32K UTF-16 characters)
 * and an entity at most 1 MiB, so JSON is split across numbered properties and, past a budget, evidence
 * is cut with a marker. The finding itself (id, kind, text, remediation) is never dropped.
 */
import type { Finding } from "../domain/finding";

/** Characters per property: 60 KB in UTF-16, under the 64 KiB limit. */
export const CHUNK_CHARS = 30_000;
/** Chunks per entity: about 720 KB, leaving room for the other columns under 1 MiB. */
export const MAX_CHUNKS = 12;
/** Most characters of JSON one entity carries. */
export const MAX_JSON_CHARS = CHUNK_CHARS * MAX_CHUNKS;

/** Splits `text` into properties `<prefix>0`, `<prefix>1`, ... plus `<prefix>Parts`. */
export function splitText(text: string, prefix: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  let parts = 0;
  for (let i = 0; i < text.length || parts === 0; i += CHUNK_CHARS) {
    out[`${prefix}${parts}`] = text.slice(i, i + CHUNK_CHARS);
    parts++;
  }
  out[`${prefix}Parts`] = parts;
  return out;
}

/** Joins what {@link splitText} split; undefined when a part is missing (a foreign or damaged entity). */
export function joinText(entity: Record<string, unknown>, prefix: string): string | undefined {
  const parts = entity[`${prefix}Parts`];
  if (typeof parts !== "number" || !Number.isInteger(parts) || parts < 1) return undefined;
  let text = "";
  for (let i = 0; i < parts; i++) {
    const part = entity[`${prefix}${i}`];
    if (typeof part !== "string") return undefined;
    text += part;
  }
  return text;
}

/** What was cut from a finding's evidence to make it fit. Stored in `evidence._truncated`. */
export interface TruncationMarker {
  note: string;
  /** Size of the finding's JSON before cutting, in characters. */
  originalChars: number;
  /** Evidence keys removed entirely. */
  removedKeys: string[];
  /** Lists shortened: how many items each lost. */
  shortenedLists: Record<string, number>;
  /** Strings shortened: how many characters each lost. */
  shortenedText: Record<string, number>;
  /** Chart points dropped from the start of the series. */
  droppedSeriesPoints?: number;
}

const size = (value: unknown): number => JSON.stringify(value)?.length ?? 0;

/**
 * The finding, unchanged when its JSON fits in `maxChars`; otherwise with the largest evidence values
 * cut first (lists halved, long strings shortened, then whole keys removed) and a marker saying so.
 */
export function fitFinding(finding: Finding, maxChars: number = MAX_JSON_CHARS): { finding: Finding; truncated: boolean } {
  const originalChars = size(finding);
  if (originalChars <= maxChars) return { finding, truncated: false };
  const evidence: Record<string, unknown> = { ...finding.evidence };
  const marker: TruncationMarker = {
    note: "Evidence was cut to fit Table storage; the full figures are in the detector's source data.",
    originalChars,
    removedKeys: [],
    shortenedLists: {},
    shortenedText: {},
  };
  const candidate = (): Finding => ({ ...finding, evidence: { ...evidence, _truncated: marker } });
  let series = finding.series;
  const current = (): Finding => (series === undefined ? candidate() : { ...candidate(), series });

  while (size(current()) > maxChars) {
    const entries = Object.entries(evidence);
    if (entries.length === 0) break;
    const [key, value] = entries.reduce((a, b) => (size(b[1]) > size(a[1]) ? b : a));
    if (Array.isArray(value) && value.length > 1) {
      const keep = Math.floor(value.length / 2);
      evidence[key] = value.slice(0, keep);
      marker.shortenedLists[key] = (marker.shortenedLists[key] ?? 0) + value.length - keep;
    } else if (typeof value === "string" && value.length > 2_000) {
      const keep = Math.floor(value.length / 2);
      evidence[key] = `${value.slice(0, keep)}… [cut]`;
      marker.shortenedText[key] = (marker.shortenedText[key] ?? 0) + value.length - keep;
    } else {
      delete evidence[key];
      marker.removedKeys.push(key);
    }
  }
  // Still too big: the chart series goes next, newest points kept.
  while (series !== undefined && series.length > 1 && size(current()) > maxChars) {
    const keep = Math.floor(series.length / 2);
    marker.droppedSeriesPoints = (marker.droppedSeriesPoints ?? 0) + series.length - keep;
    series = series.slice(series.length - keep);
  }
  let out = current();
  if (size(out) > maxChars) {
    // Only the text is left, and it is absurdly long: shorten it rather than lose the finding.
    const room = Math.max(1_000, Math.floor(maxChars / 8));
    const cut = (text: string): string => (text.length > room ? `${text.slice(0, room)}… [cut]` : text);
    out = { ...out, title: cut(out.title), summary: cut(out.summary), remediation: out.remediation.slice(0, 20).map(cut) };
  }
  return { finding: out, truncated: true };
}
