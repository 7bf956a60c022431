// Preloaded into the Agents Playground: it listens on every interface by default, and the demo must
// stay on loopback. A listen() call without a host is pinned to 127.0.0.1.
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function pinned(...args) {
  const first = args[0];
  if (typeof first === "number" && (args.length === 1 || typeof args[1] !== "string")) {
    args.splice(1, 0, "127.0.0.1");
  } else if (typeof first === "object" && first !== null && !Array.isArray(first) && first.port !== undefined && !first.host && !first.path) {
    args[0] = { ...first, host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};
