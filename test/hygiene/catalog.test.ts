import { describe, expect, it } from "vitest";
import { RULES, ruleById } from "../../src/hygiene/catalog";
import { RULE_AREAS } from "../../src/hygiene/rule";
import { renderRulesDoc } from "../../src/hygiene/render-docs";

describe("the rule catalog", () => {
  it("lists at least the rules issue 5 asks for", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(40);
  });

  it("has no duplicate ids", () => {
    const ids = RULES.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it.each(RULES.map((r) => [r.id, r] as const))("%s has every field filled in", (_id, r) => {
    expect(r.id).toMatch(/^APIM\.[A-Z][A-Za-z]+\.[A-Z][A-Za-z0-9]+$/);
    expect(r.id.split(".")[1]).toBe(r.area);
    expect(RULE_AREAS).toContain(r.area);
    expect(r.title.trim().length).toBeGreaterThan(10);
    expect(["critical", "warning", "info"]).toContain(r.severity);
    expect(r.rationale.trim().length).toBeGreaterThan(60);
    expect(r.remediation.length).toBeGreaterThan(0);
    for (const step of r.remediation) expect(step).toMatch(/^[A-Z].*[.)]$/);
    expect(r.docs).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/api-management\/[a-z0-9/-]+$/);
    expect(typeof r.check).toBe("function");
  });

  it("finds rules by id", () => {
    expect(ruleById("APIM.Policy.MissingBase")?.area).toBe("Policy");
    expect(ruleById("APIM.Nope.Nothing")).toBeUndefined();
  });
});

describe("docs/rules.md", () => {
  it("is the committed output of renderRulesDoc over the catalog (regenerate: npx vitest run test/hygiene/catalog.test.ts -u)", async () => {
    await expect(renderRulesDoc(RULES)).toMatchFileSnapshot("../../docs/rules.md");
  });

  it("documents every rule with its rationale, steps and link", () => {
    const doc = renderRulesDoc(RULES);
    for (const r of RULES) {
      expect(doc).toContain(`### ${r.id}`);
      expect(doc).toContain(r.rationale.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
      expect(doc).toContain(r.docs);
    }
    expect(doc).toContain("`withinDays`: 30");
  });
});
