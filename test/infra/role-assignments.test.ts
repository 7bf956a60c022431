import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { literal, properties, resources, stringVars, type BicepResource } from "./bicep-text";

const root = join(__dirname, "..", "..");
const infra = join(root, "infra");

function bicepFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return bicepFiles(full);
    return name.endsWith(".bicep") ? [full] : [];
  });
}

/**
 * The only built-in roles apimbot's identity may hold, where, and at which scope (the symbolic name in
 * `scope:`, or null for the file's own deployment scope). GUIDs from the Azure built-in roles reference.
 */
const ALLOWED_ROLES: Record<string, { role: string; file: string; scope: string | null }[]> = {
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": [
    { role: "Reader", file: "infra/modules/watch-subscription.bicep", scope: null },
    { role: "Reader", file: "infra/watch-management-group.bicep", scope: null },
  ],
  "43d0d8ad-25c7-4714-9337-8ba259a9fe05": [
    { role: "Monitoring Reader", file: "infra/modules/watch-subscription.bicep", scope: null },
    { role: "Monitoring Reader", file: "infra/watch-management-group.bicep", scope: null },
  ],
  "73c42c96-874c-492b-b04d-ab87d138a893": [{ role: "Log Analytics Reader", file: "infra/modules/workspace-reader.bicep", scope: "workspace" }],
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": [{ role: "Storage Blob Data Owner", file: "infra/modules/storage.bicep", scope: "account" }],
  "974c5e8b-45b9-4653-ba55-5f855dd0fb88": [{ role: "Storage Queue Data Contributor", file: "infra/modules/storage.bicep", scope: "account" }],
  "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": [{ role: "Storage Table Data Contributor", file: "infra/modules/storage.bicep", scope: "account" }],
  // Application Insights with local auth off accepts telemetry only from holders of this role.
  "3913510d-42f4-4e42-8a64-420c390055eb": [{ role: "Monitoring Metrics Publisher", file: "infra/modules/monitoring.bicep", scope: "appInsights" }],
};

/** Every (type, API version) used, each checked against the generated types in Azure/bicep-types-az. */
const VERIFIED_API_VERSIONS = new Set([
  "Microsoft.Resources/resourceGroups@2024-03-01",
  "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31",
  "Microsoft.Storage/storageAccounts@2023-05-01",
  "Microsoft.Storage/storageAccounts/blobServices@2023-05-01",
  "Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01",
  "Microsoft.Storage/storageAccounts/queueServices@2023-05-01",
  "Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01",
  "Microsoft.OperationalInsights/workspaces@2023-09-01",
  "Microsoft.Insights/components@2020-02-02",
  "Microsoft.Insights/actionGroups@2023-01-01",
  "Microsoft.Insights/scheduledQueryRules@2023-12-01",
  "Microsoft.Web/serverfarms@2024-04-01",
  "Microsoft.Web/sites@2024-04-01",
  "Microsoft.BotService/botServices@2022-09-15",
  "Microsoft.BotService/botServices/channels@2022-09-15",
  "Microsoft.Authorization/roleAssignments@2022-04-01",
]);

interface Assignment {
  file: string;
  resource: BicepResource;
  roleId: string | undefined;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function assignments(): Assignment[] {
  return bicepFiles(infra).flatMap((full) => {
    const text = readFileSync(full, "utf8");
    const vars = stringVars(text);
    const file = relative(root, full).split("\\").join("/");
    return resources(text)
      .filter((r) => r.type === "Microsoft.Authorization/roleAssignments")
      .map((resource) => {
        const props = properties(properties(resource.body).get("properties")?.slice(1, -1) ?? "");
        const source = props.get("roleDefinitionId") ?? "";
        // The role is the last argument: a GUID literal or a var holding one.
        const lastArg = /,\s*([^,()]+)\)\s*$/.exec(source)?.[1]?.trim() ?? source;
        const value = literal(lastArg) ?? vars.get(lastArg) ?? lastArg;
        return { file, resource, roleId: GUID.exec(value)?.[0]?.toLowerCase() };
      });
  });
}

describe("role assignments in infra/", () => {
  const found = assignments();

  it("finds the role assignments", () => {
    expect(found.length).toBeGreaterThanOrEqual(9);
  });

  it("uses only the allowed built-in roles, each in its place and at its scope", () => {
    const problems: string[] = [];
    for (const { file, resource, roleId } of found) {
      const where = `${file} ${resource.symbol}`;
      if (!roleId) {
        problems.push(`${where}: cannot tell the role; put the built-in role GUID in a var`);
        continue;
      }
      const allowed = ALLOWED_ROLES[roleId];
      if (!allowed) {
        problems.push(`${where}: role ${roleId} is not one apimbot may hold (least privilege)`);
        continue;
      }
      const placement = allowed.find((a) => a.file === file);
      if (!placement) {
        problems.push(`${where}: ${allowed[0]?.role} belongs in ${allowed.map((a) => a.file).join(" or ")}`);
        continue;
      }
      const scope = properties(resource.body).get("scope") ?? null;
      if (scope !== placement.scope) problems.push(`${where}: ${placement.role} must be scoped to ${placement.scope ?? "the deployment scope"}, not ${scope}`);
    }
    expect(problems).toEqual([]);
  });

  it("grants every role the app needs", () => {
    const granted = new Set(found.map((a) => a.roleId));
    const missing = Object.entries(ALLOWED_ROLES)
      .filter(([id]) => !granted.has(id))
      .map(([, places]) => places[0]?.role);
    expect(missing, "without these roles a part of apimbot stops working").toEqual([]);
  });

  it("grants them to apimbot's identity as a service principal", () => {
    for (const { file, resource } of found) {
      const props = properties(properties(resource.body).get("properties")?.slice(1, -1) ?? "");
      expect(props.get("principalId"), `${file} ${resource.symbol}`).toBe("principalId");
      expect(literal(props.get("principalType") ?? ""), `${file} ${resource.symbol}`).toBe("ServicePrincipal");
      // The name must be stable across deployments, or a redeploy fails with RoleAssignmentExists.
      expect(properties(resource.body).get("name"), `${file} ${resource.symbol}`).toMatch(/^guid\(/);
    }
  });
});

describe("resource types and API versions in infra/", () => {
  it("uses only stable API versions that were checked", () => {
    const unchecked: string[] = [];
    for (const full of bicepFiles(infra)) {
      for (const r of resources(readFileSync(full, "utf8"))) {
        const id = `${r.type}@${r.apiVersion}`;
        if (r.apiVersion.includes("preview") || !VERIFIED_API_VERSIONS.has(id)) unchecked.push(`${relative(root, full)}: ${id}`);
      }
    }
    expect(unchecked).toEqual([]);
  });
});
