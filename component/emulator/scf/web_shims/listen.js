// Preloaded (NODE_OPTIONS=--require) into a web function that the scf-component emulator starts:
// a server the bootstrap opens on SCF's web port 9000 listens on the emulator's free loopback port
// (SCF_EMULATOR_WEB_PORT) instead, so several web functions can run side by side on one machine.
"use strict";

const net = require("net");

const SCF_PORT = 9000;
const target = Number(process.env.SCF_EMULATOR_WEB_PORT);
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function remapped(...args) {
  const first = args[0];
  if (target && first !== null && typeof first === "object" && Number(first.port) === SCF_PORT) {
    args[0] = Object.assign({}, first, { port: target, host: "127.0.0.1" });
  } else if (target && (typeof first === "number" || typeof first === "string") && Number(first) === SCF_PORT) {
    args[0] = target;
    if (typeof args[1] === "string") {
      args[1] = "127.0.0.1";
    } else {
      args.splice(1, 0, "127.0.0.1");
    }
  }
  return listen.apply(this, args);
};
