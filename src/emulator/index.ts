/** The APIM estate emulator: an HTTPS server on loopback that speaks Azure's REST shapes from a scenario. */
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./start-emulator";
export { loadScenario, type Scenario } from "./scenario";
export type { FaultSpec } from "./faults";
export { ScenarioError } from "./scenario-error";
export { generateScenario, type GenerateOptions } from "./generate-scenario";
