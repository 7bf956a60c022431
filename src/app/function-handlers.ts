import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from "@azure/functions";
import { describeError } from "../domain/errors";
import type { Logger } from "../domain/logger";
import type { App } from "./create-app";

/**
 * The Functions host's logger: console lines the host forwards to Application Insights. One app is
 * shared by every invocation of a worker, so it cannot log through one invocation's context.
 */
const hostLogger: Logger = {
  debug: (m, f) => console.debug(m, f ?? ""),
  info: (m, f) => console.info(m, f ? JSON.stringify(f) : ""),
  warn: (m, f) => console.warn(m, f ? JSON.stringify(f) : ""),
  error: (m, f) => console.error(m, f ? JSON.stringify(f) : ""),
};

let appPromise: Promise<App> | undefined;

/**
 * The app, created on first use and reused while the worker lives (settings are read once). The Azure
 * SDKs load here, not when the host loads the entry file, which keeps the cold start short.
 */
function getApp(): Promise<App> {
  appPromise ??= import("./app-core").then(async ({ createRuntime, createApp }) => createApp(await createRuntime({ log: hostLogger })));
  // A failed start (bad settings) is retried on the next invocation instead of being cached.
  appPromise.catch(() => {
    appPromise = undefined;
  });
  return appPromise;
}

/** Timer `sweep`: one sweep, posting to Teams. Rethrows so the host counts the failure. */
export async function sweepHandler(_timer: Timer, context: InvocationContext): Promise<void> {
  try {
    const outcome = await (await getApp()).sweep({ post: true });
    context.log(`sweep: ${outcome.findings.length} findings on ${outcome.instanceCount} instances in ${outcome.wallMs} ms`);
    if (outcome.nothingRead) throw new Error("sweep read nothing: every subscription or instance failed (see collection-failed findings)");
  } catch (err) {
    context.error(`sweep failed: ${describeError(err)}`);
    throw err;
  }
}

/** Timer `hygiene-report`: the weekly report, stored and posted. */
export async function hygieneReportHandler(_timer: Timer, context: InvocationContext): Promise<void> {
  try {
    const outcome = await (await getApp()).report({ post: true, save: true });
    context.log(`hygiene report: ${outcome.model.totals.total} findings, posted to ${outcome.posted.length} conversation(s)`);
  } catch (err) {
    context.error(`hygiene report failed: ${describeError(err)}`);
    throw err;
  }
}

/** HTTP `messages` (POST /api/messages): Bot Framework activities from Azure Bot Service. */
export async function messagesHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const endpoint = await (await getApp()).endpoint();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const answer = await endpoint.handle({ headers, body: await request.text(), method: request.method });
    return answer.body === undefined ? { status: answer.status } : { status: answer.status, jsonBody: answer.body };
  } catch (err) {
    context.error(`bot request failed: ${describeError(err)}`);
    return { status: 500, jsonBody: { error: "The bot could not handle this activity." } };
  }
}
