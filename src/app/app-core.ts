// What the Functions handlers load on first use: the composition root and the runtime. The build puts
// this in a bundle of its own, so the host's load of the entry file stays small.
export { createApp } from "./create-app";
export { createRuntime } from "./runtime";
