import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/domain/finding";
import { CHUNK_CHARS, fitFinding, joinText, splitText } from "../../src/store/entity-codec";
import { spike } from "../triage/fixtures";

const finding = (evidence: Record<string, unknown>, series = spike().series): Finding => ({
  ...spike(),
  evidence,
  series,
  status: "firing",
  change: "new",
  firstSeen: "2026-03-10T09:00:00.000Z",
  lastSeen: "2026-03-10T09:00:00.000Z",
});

describe("splitText and joinText", () => {
  it("split text across properties no longer than the limit and join it back exactly", () => {
    const text = "é".repeat(CHUNK_CHARS * 2 + 17);
    const props = splitText(text, "d");
    expect(props.dParts).toBe(3);
    expect((props.d0 as string).length).toBe(CHUNK_CHARS);
    expect(joinText(props, "d")).toBe(text);
    expect(joinText(splitText("", "d"), "d")).toBe("");
  });

  it("report a missing part instead of returning half a document", () => {
    const props = splitText("x".repeat(CHUNK_CHARS + 1), "d");
    delete props.d1;
    expect(joinText(props, "d")).toBeUndefined();
  });
});

describe("fitFinding", () => {
  it("leaves a finding that fits untouched", () => {
    const f = finding({ requests: 3612, rate: 0.35 });
    expect(fitFinding(f, 10_000)).toEqual({ finding: f, truncated: false });
  });

  it("shortens long lists and text first, keeps small facts, and says what it cut", () => {
    const f = finding({ rate: 0.35, requests: 3612, log: "GET /payments 502 ".repeat(2_000), callers: Array.from({ length: 2_000 }, (_, i) => `10.0.${i % 250}.${i % 7}`) });
    const { finding: out, truncated } = fitFinding(f, 20_000);
    expect(truncated).toBe(true);
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(20_000);
    expect(out.evidence.rate).toBe(0.35);
    expect(out.evidence.requests).toBe(3612);
    const marker = out.evidence._truncated as { shortenedLists: Record<string, number>; shortenedText: Record<string, number>; originalChars: number };
    expect(marker.originalChars).toBe(JSON.stringify(f).length);
    expect(marker.shortenedLists.callers).toBe(2_000 - (out.evidence.callers as unknown[]).length);
    expect(marker.shortenedText.log).toBeGreaterThan(0);
    expect(out.evidence.log).toMatch(/… \[cut\]$/);
  });

  it("drops the oldest chart points once evidence is exhausted, keeping the newest", () => {
    const series = Array.from({ length: 5_000 }, (_, i) => ({ time: new Date(Date.UTC(2026, 2, 10) + i * 60_000).toISOString(), value: i / 5_000 }));
    const { finding: out } = fitFinding(finding({ rate: 0.35 }, series), 40_000);
    expect(out.series?.at(-1)).toEqual(series.at(-1));
    expect(out.series?.length).toBeLessThan(5_000);
    expect((out.evidence._truncated as { droppedSeriesPoints: number }).droppedSeriesPoints).toBe(5_000 - (out.series?.length ?? 0));
    expect(out.id).toBe(spike().id);
    expect(out.remediation).toEqual(spike().remediation);
  });
});
