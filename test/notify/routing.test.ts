import { describe, expect, it } from "vitest";
import { routeFinding } from "../../src/notify/routing";
import { authFinding, expiringFinding, spikeFinding } from "./findings-fixture";

const installed = [{ conversationId: "19:platform@thread.tacv2" }, { conversationId: "19:payments@thread.tacv2" }, { conversationId: "a:personal-ada" }];

describe("routing", () => {
  it("sends everything everywhere when no rules are set", () => {
    expect(routeFinding(spikeFinding(), installed, [])).toEqual(installed.map((c) => c.conversationId));
  });

  it("sends a team only its instance, API or severity, comparing names case-insensitively", () => {
    const rules = [
      { conversations: ["19:payments@thread.tacv2"], instances: ["PAY-APIM-PROD"], apis: ["payments-api"] },
      { conversations: ["a:personal-ada"], minSeverity: "critical" as const },
      { conversations: ["19:platform@thread.tacv2"], resourceGroups: ["rg-partners"] },
    ];
    expect(routeFinding(spikeFinding(), installed, rules)).toEqual(["19:payments@thread.tacv2", "a:personal-ada"]);
    expect(routeFinding(authFinding(), installed, rules)).toEqual([]);
    expect(routeFinding(expiringFinding(), installed, rules)).toEqual(["19:platform@thread.tacv2"]);
  });

  it("expands * to every installed conversation and ignores conversations the bot has left", () => {
    expect(routeFinding(authFinding(), installed, [{ conversations: ["*"], subscriptionIds: ["4F0E6B8E-2A51-4C7E-9D8E-1A2B3C4D5E6F"] }])).toHaveLength(3);
    expect(routeFinding(authFinding(), installed, [{ conversations: ["19:gone@thread.tacv2"] }])).toEqual([]);
  });
});
