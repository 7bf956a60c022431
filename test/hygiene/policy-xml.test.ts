import { describe, expect, it } from "vitest";
import { descendants, maskExpressions, parsePolicy, sectionOf, type PolicyElement } from "../../src/hygiene/policy-xml";
import { BILLING_POLICY, GET_ORDER_POLICY, GLOBAL_POLICY, INVENTORY_POLICY, ORDERS_POLICY, PARTNERS_POLICY, STARTER_POLICY } from "./fixture";

function root(xml: string): PolicyElement {
  const r = parsePolicy(xml);
  if (!r.ok) throw new Error(`expected a parse, got line ${r.line}: ${r.message}`);
  return r.root;
}

function find(el: PolicyElement, name: string): PolicyElement[] {
  return descendants(el).filter((e) => e.name === name);
}

describe("parsePolicy", () => {
  it("reads every well-formed fixture policy, CRLF and BOM included", () => {
    for (const xml of [GLOBAL_POLICY, ORDERS_POLICY, BILLING_POLICY, PARTNERS_POLICY, STARTER_POLICY, GET_ORDER_POLICY]) {
      expect(xml).toContain("\r\n");
      expect(parsePolicy(xml).ok).toBe(true);
    }
  });

  it("keeps C# expressions intact in attributes and text, with lines as in the source", () => {
    const r = root(ORDERS_POLICY);
    const tenant = find(r, "set-variable")[0];
    expect(tenant?.line).toBe(9);
    expect(tenant?.attributes.value).toContain('return tid == null || tid.Length < 1 ? @"un""known" : $"t-{tid.ToLower()}-{(tid.Length > 3 ? "long" : "short")}";');
    expect(tenant?.attributes.value).toContain('// a comment with a quote " and a < sign');
    const counter = find(r, "rate-limit-by-key")[0];
    expect(counter?.attributes["counter-key"]).toBe('@(context.Variables.GetValueOrDefault<string>("tenant"))');
    expect(counter?.line).toBe(15);
    const body = find(r, "set-body")[0];
    expect(body?.text).toContain("items.Count > 0 && items.Count < 100");
    expect(body?.text).toContain("As<JObject>(preserveContent: true)");
    expect(find(r, "trace")[0]?.line).toBe(39);
  });

  it("ignores markup-looking text in comments and reads CDATA as text", () => {
    const r = root(GLOBAL_POLICY);
    expect(r.name).toBe("policies");
    expect(r.children.map((c) => c.name)).toEqual(["inbound", "backend", "outbound", "on-error"]);
    const cdata = root("<policies><inbound><set-body><![CDATA[a < b && c]]></set-body></inbound></policies>");
    expect(find(cdata, "set-body")[0]?.text).toBe("a < b && c");
  });

  it("keeps entity-escaped expressions (the xml format) decoded", () => {
    const r = root('<policies><inbound><set-variable name="x" value="@(context.Request.Headers.GetValueOrDefault(&quot;A&quot;, &quot;&quot;).Length &lt; 3)" /></inbound></policies>');
    expect(find(r, "set-variable")[0]?.attributes.value).toBe('@(context.Request.Headers.GetValueOrDefault("A", "").Length < 3)');
  });

  it("reads expressions in single-quoted attributes, with char literals and braces in strings", () => {
    const r = root(`<policies><inbound><set-variable name='x' value='@(context.Request.Headers.GetValueOrDefault("a","}") + 'q' + "(")' /><set-body>@{ // closing } in a comment
      return "<b>" + "{" ; }</set-body></inbound></policies>`);
    expect(find(r, "set-variable")[0]?.attributes.value).toBe(`@(context.Request.Headers.GetValueOrDefault("a","}") + 'q' + "(")`);
    expect(find(r, "set-body")[0]?.text).toContain('return "<b>" + "{" ; }');
  });

  it("tells the section an element sits in", () => {
    const r = root(PARTNERS_POLICY);
    expect(find(r, "quota").map(sectionOf)).toEqual(["outbound"]);
    expect(find(r, "rate-limit").map(sectionOf)).toEqual(["inbound"]);
  });

  it("reports a malformed document with the line of the error, once", () => {
    const r = parsePolicy(INVENTORY_POLICY);
    expect(r).toMatchObject({ ok: false, line: 5 });
    if (!r.ok) expect(r.message).toMatch(/close tag/);
    expect(parsePolicy("<policies><inbound>\n<base />\n<set-header name='a'>\n</inbound></policies>")).toMatchObject({ ok: false, line: 4 });
    expect(parsePolicy("")).toMatchObject({ ok: false });
    expect(parsePolicy("just text")).toMatchObject({ ok: false });
  });

  it("leaves an unterminated expression to fail as XML rather than hang or throw", () => {
    const r = parsePolicy('<policies><inbound><set-variable name="x" value="@(a < b" /></inbound></policies>');
    expect(r.ok).toBe(false);
  });

  it("never throws on any prefix or damaged copy of a real policy", () => {
    for (const src of [ORDERS_POLICY, BILLING_POLICY, GLOBAL_POLICY]) {
      for (let cut = 0; cut < src.length; cut += 7) {
        expect(() => parsePolicy(src.slice(0, cut))).not.toThrow();
        expect(() => parsePolicy(src.slice(0, cut) + src.slice(cut + 3))).not.toThrow();
      }
    }
  });
});

describe("maskExpressions", () => {
  it("keeps length and line breaks so positions stay true", () => {
    const masked = maskExpressions(ORDERS_POLICY);
    expect(masked.length).toBe(ORDERS_POLICY.length);
    expect(masked.split("\n").length).toBe(ORDERS_POLICY.split("\n").length);
    expect(masked).not.toContain("items.Count < 100");
  });

  it("does not touch text outside expressions", () => {
    const xml = '<policies><inbound><set-header name="X-Mail"><value>ops@contoso.com &amp; dev@(team)</value></set-header></inbound></policies>';
    const r = root(xml);
    expect(find(r, "value")[0]?.text).toBe("ops@contoso.com & dev@(team)");
  });
});
