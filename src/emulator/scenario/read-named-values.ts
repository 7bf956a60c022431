/** The named values of an instance, plain, secret or from Key Vault. */
import type { TimeSpec } from "../relative-time";
import { GUID, opt, type Obj, type ScenarioReader } from "./scenario-reader";

/** A named value. */
export interface ScenarioNamedValue {
  name: string;
  displayName: string;
  value?: string;
  secret: boolean;
  tags: string[];
  keyVault?: { secretIdentifier: string; identityClientId?: string; lastStatus?: { code: string; message?: string; time?: TimeSpec } };
}

function readKeyVault(r: ScenarioReader, raw: unknown, q: string): ScenarioNamedValue["keyVault"] {
  const ko = r.object(raw, q, ["secretIdentifier", "identityClientId", "lastStatus"]);
  let lastStatus: { code: string; message?: string; time?: TimeSpec } | undefined;
  if (ko.lastStatus !== undefined) {
    const l = `${q}.lastStatus`;
    const lo = r.object(ko.lastStatus, l, ["code", "message", "time"]);
    lastStatus = { code: r.reqStr(lo, "code", l), ...opt("message", r.str(lo, "message", l)), ...opt("time", r.time(lo, "time", l)) };
  }
  return {
    secretIdentifier: r.reqStr(ko, "secretIdentifier", q, { pattern: /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/secrets\//i, hint: "a Key Vault secret URL (https://<vault>.vault.azure.net/secrets/<name>)" }),
    ...opt("identityClientId", r.str(ko, "identityClientId", q, { pattern: GUID, hint: "a GUID" })),
    ...opt("lastStatus", lastStatus),
  };
}

/** Reads `namedValues[]`: a Key Vault one has no value, any other needs one. */
export function readNamedValues(r: ScenarioReader, o: Obj, at: string): ScenarioNamedValue[] {
  return r.list(o, "namedValues", at, "named value", (n, p) => {
    const no = r.object(n, p, ["name", "displayName", "value", "secret", "tags", "keyVault"]);
    const keyVault = no.keyVault === undefined ? undefined : readKeyVault(r, no.keyVault, `${p}.keyVault`);
    const nvName = r.name(no, "name", p);
    const nv: ScenarioNamedValue = {
      name: nvName,
      displayName: r.str(no, "displayName", p) ?? nvName,
      ...opt("value", r.str(no, "value", p)),
      secret: r.bool(no, "secret", p) ?? keyVault !== undefined,
      tags: r.strings(no, "tags", p),
      ...opt("keyVault", keyVault),
    };
    if (nv.keyVault && nv.value !== undefined) r.fail(`${p}.value`, "a Key Vault named value has no value of its own");
    if (!nv.keyVault && nv.value === undefined) r.fail(`${p}.value`, "is required unless keyVault is given");
    return nv;
  });
}
