/**
 * APIM.Policy.SensitiveLogging: Bodies or Authorization headers sent to logs.
 */
import { descendants } from "../policy-xml";
import { policyScopeLabel, LEARN, type HygieneRule, type RuleHit } from "../rule";
import { eachParsed, named } from "./policy-support";

/** Bodies or Authorization headers sent to logs. */
export const policySensitiveLogging: HygieneRule = {
  id: "APIM.Policy.SensitiveLogging",
  area: "Policy",
  title: "Bodies or Authorization headers sent to logs",
  severity: "warning",
  rationale:
    "log-to-eventhub, trace and emit-metric messages built from request or response bodies, or from the Authorization header, copy tokens and personal data into log stores that many more people can read than the API itself.",
  remediation: ["Log only the fields needed for operations (ids, status, timings).", "If a body is needed for debugging, redact credentials and personal data in the expression first, and remove it when done."],
  docs: `${LEARN}/log-to-eventhub-policy`,
  check: (snapshot) =>
    eachParsed(snapshot, (doc, root, hit) => {
      const hits: RuleHit[] = [];
      for (const e of named(root, "log-to-eventhub", "trace")) {
        const text = [e.text, ...descendants(e).map((d) => d.text)].join(" ");
        const body = /\.Body\b/.test(text);
        const auth = /["']Authorization["']/i.test(text) || /\.Headers\s*\)/.test(text) || /Headers\s*\.\s*Select/.test(text);
        if (body || auth) {
          const what = [body ? "a message body" : "", auth ? "request headers including Authorization" : ""].filter((x) => x !== "").join(" and ");
          hits.push(hit(e, `<${e.name}> in the ${policyScopeLabel(doc)} logs ${what}.`, { element: e.name, body, authorization: auth }));
        }
      }
      return hits;
    }),
};
