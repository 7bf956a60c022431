/**
 * Durations as chat commands and settings spell them: `30m`, `4h`, `1d`, or a run of those (`1h30m`).
 */

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/** `"30m"` → 1 800 000. Undefined for anything else, including zero and negative amounts. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  // Units must come largest first and each at most once, so "30m4h" is refused rather than guessed at.
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(trimmed);
  if (!match || trimmed === "") return undefined;
  const [, d, h, m] = match;
  let total = 0;
  for (const [amount, unit] of [[d, "d"], [h, "h"], [m, "m"]] as const) {
    if (amount !== undefined) total += Number(amount) * (UNIT_MS[unit] ?? 0);
  }
  if (total <= 0 || !Number.isSafeInteger(total)) return undefined;
  return total;
}

/** 5 400 000 → `"1h 30m"`; for messages and cards. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "under a minute";
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : ""].filter((p) => p).join(" ");
}
