/**
 * APIM.Api.NoDescription: API has no description.
 */
import { LEARN, type HygieneRule } from "../rule";
import { apiHit, apis } from "./api-support";

/** API has no description. */
export const apiNoDescription: HygieneRule = {
  id: "APIM.Api.NoDescription",
  area: "Api",
  title: "API has no description",
  severity: "info",
  rationale: "The description is what developers read in the developer portal and what operators read when an alert names the API. An empty one sends both to ask around.",
  remediation: ["Add a description saying what the API does and which team owns it."],
  docs: `${LEARN}/api-management-howto-developer-portal`,
  check: (snapshot) => apis(snapshot).filter((a) => a.isCurrent && (a.description ?? "").trim() === "").map((a) => apiHit(a, `API ${a.name} has no description.`)),
};
