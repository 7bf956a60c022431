import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DETECTORS } from "../../src/detect/catalog";
import { renderDetectorDocs } from "../../src/detect/render-docs";

describe("docs/detectors.md", () => {
  const rendered = renderDetectorDocs();

  it("documents every detector with its kinds and every default", () => {
    for (const d of DETECTORS) {
      expect(rendered).toContain(`(\`${d.id}\`)`);
      for (const k of d.kinds) expect(rendered).toContain(`\`${k}\``);
    }
    expect(rendered).toContain("| `provisioning.classic.warnMinutes` | 60 |");
    expect(rendered).toContain("| `subscriptions.reminderDays` | 30, 14, 7, 1 |");
  });

  it("is the committed file (regenerate it with renderDetectorDocs when a detector changes)", () => {
    const committed = readFileSync(join(__dirname, "../../docs/detectors.md"), "utf8");
    expect(committed).toBe(rendered);
  });
});
