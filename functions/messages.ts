import { app } from "@azure/functions";
import { messagesHandler } from "../src/app/function-handlers";

// Anonymous at the host: the bot validates the Bot Service token on every activity itself.
app.http("messages", { methods: ["POST"], authLevel: "anonymous", route: "messages", handler: messagesHandler });

export { messagesHandler };
