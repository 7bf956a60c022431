import { app } from "@azure/functions";
import { sweepHandler } from "../src/app/function-handlers";

app.timer("sweep", { schedule: "%APIMBOT_SWEEP_SCHEDULE%", handler: sweepHandler });

export { sweepHandler };
