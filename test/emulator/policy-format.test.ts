import { describe, expect, it } from "vitest";
import { escapePolicyExpressions, toCrlf } from "../../src/emulator/policy-format";

describe("policy formats", () => {
  it("escapes markup characters inside expressions only, and quotes only in attribute values", () => {
    const raw = '<set-variable name="big" value="@(context.Request.Body.As<JObject>()["n"].Value<int>() > 10 && true)" />\n<value>@{ return "a<b"; }</value>';
    const xml = escapePolicyExpressions(raw);
    expect(xml).toBe(
      '<set-variable name="big" value="@(context.Request.Body.As&lt;JObject&gt;()[&quot;n&quot;].Value&lt;int&gt;() &gt; 10 &amp;&amp; true)" />\n<value>@{ return "a&lt;b"; }</value>',
    );
  });

  it("does not end an expression at a bracket inside a string, and escaping twice changes nothing", () => {
    const raw = '<value>@(context.Variables.GetValueOrDefault<string>("x)", "y"))</value><base />';
    const once = escapePolicyExpressions(raw);
    expect(once.endsWith("</value><base />")).toBe(true);
    expect(escapePolicyExpressions(once)).toBe(once);
  });

  it("uses CRLF line endings like the service", () => {
    expect(toCrlf("<policies>\n  <inbound />\r\n</policies>")).toBe("<policies>\r\n  <inbound />\r\n</policies>");
  });
});
