import { app } from "@azure/functions";
import { hygieneReportHandler } from "../src/app/function-handlers";

app.timer("hygiene-report", { schedule: "%APIMBOT_REPORT_SCHEDULE%", handler: hygieneReportHandler });

export { hygieneReportHandler };
