/**
 * Number and time formatting for titles and summaries. Locale-independent, so text is the same
 * wherever apimbot runs.
 */

/** 3612 → "3,612". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** 0.3512 → "35%", 0.005 → "0.5%", 0 → "0%". */
export function formatPercent(rate: number): string {
  const pct = rate * 100;
  if (pct === 0) return "0%";
  if (pct < 10) return `${(Math.round(pct * 10) / 10).toString()}%`;
  return `${Math.round(pct)}%`;
}

/** 95 → "1 h 35 min", 40 → "40 min", 2 → "2 min". */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}

/** An ISO time as `yyyy-mm-dd`. */
export function formatDay(iso: string): string {
  return iso.slice(0, 10);
}

/** "1 day" / "5 days". */
export function formatDays(days: number): string {
  return days === 1 ? "1 day" : `${days} days`;
}

/** Milliseconds between two times, in minutes. */
export function minutesBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / 60_000;
}

/** Parses an ISO time, or undefined when absent or unparseable. */
export function parseTime(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t);
}
