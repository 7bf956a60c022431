/**
 * Prints how the emulator copes with a large generated estate: load time, and the wall time and call
 * counts of the reads a sweep makes (Resource Graph, instance pages, every contract of every instance).
 * Run: `npx tsx src/emulator/estate-benchmark.ts [instances]`.
 */
import { ApiManagementClient } from "@azure/arm-apimanagement";
import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import { generateScenario } from "./generate-scenario";
import { startEmulator } from "./start-emulator";

async function main(): Promise<void> {
  const instances = Number(process.argv[2] ?? 500);
  const scenario = generateScenario({ instances, subscriptions: Math.max(1, Math.ceil(instances / 100)), apisPerInstance: 8, contractsPerInstance: 25 });
  let t = performance.now();
  const emu = await startEmulator({ scenario });
  console.log(`start with ${instances} instances: ${(performance.now() - t).toFixed(0)} ms`);
  const credential = { getToken: async () => ({ token: emu.token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const options = { endpoint: emu.url, tlsOptions: { ca: emu.caCertPem } };

  t = performance.now();
  const rows: { id: string; subscriptionId: string }[] = [];
  const graph = new ResourceGraphClient(credential, options);
  let skipToken: string | undefined;
  do {
    const page = await graph.resources({ query: "resources | where type =~ 'microsoft.apimanagement/service' | project id, subscriptionId", options: { top: 1000, ...(skipToken ? { skipToken } : {}) } });
    rows.push(...(page.data as typeof rows));
    skipToken = page.skipToken;
  } while (skipToken);
  console.log(`resource graph: ${rows.length} instances in ${(performance.now() - t).toFixed(0)} ms`);

  t = performance.now();
  let contracts = 0;
  const queue = [...rows];
  async function worker(): Promise<void> {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const [, , sub, , rg, , , , name] = row.id.split("/");
      const client = new ApiManagementClient(credential, sub ?? "", options);
      for await (const _ of client.subscription.list(rg ?? "", name ?? "")) contracts++;
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  const ms = performance.now() - t;
  const stats = emu.stats();
  console.log(`contracts: ${contracts} in ${ms.toFixed(0)} ms over ${stats["arm.subscriptions.list"] ?? 0} pages (${(((stats.total ?? 0) / ms) * 1000).toFixed(0)} requests/s, 16 in flight)`);
  await emu.close();
}

void main();
