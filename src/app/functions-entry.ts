// The bundle entry for the Functions app: importing each function file registers its trigger.
import "../../functions/sweep";
import "../../functions/hygiene-report";
import "../../functions/messages";
