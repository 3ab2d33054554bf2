// Persistent Node.js worker of the scf-component emulator (see worker.py for the protocol).
// argv: handler ("index.main_handler", "dir/app.handler"), request fd, answer fd.
// fds 1 and 2 are the capture file; one JSON request per line in, one JSON answer per line out.
// A handler may be async (its promise's value is the result), synchronous (its return value), or
// callback style (event, context, callback): the first of callback or a non-undefined return wins.
"use strict";

const fs = require("fs");
const net = require("net");
const path = require("path");
const url = require("url");

const [handlerSpec, requestFd, answerFd] = process.argv.slice(2);
process.argv.splice(2);
const answers = Number(answerFd);
let handler = null;
let current = null; // settle function of the invocation in progress

// CommonJS first (index.js), else an ES module (index.mjs, or index.js in a "type": "module" package).
async function importModule(file) {
  const base = path.resolve(process.cwd(), file);
  try {
    return require(base);
  } catch (error) {
    const esm = fs.existsSync(`${base}.mjs`) ? `${base}.mjs` : `${base}.js`;
    if (error.code !== "ERR_REQUIRE_ESM" && !(error.code === "MODULE_NOT_FOUND" && esm.endsWith(".mjs"))) {
      throw error;
    }
    return import(url.pathToFileURL(esm).href);
  }
}

async function load() {
  const dot = handlerSpec.lastIndexOf(".");
  if (dot <= 0) {
    throw new Error(`handler "${handlerSpec}" must be <file>.<function>`);
  }
  const file = handlerSpec.slice(0, dot);
  const name = handlerSpec.slice(dot + 1);
  const module = await importModule(file);
  const found = module[name];
  if (typeof found !== "function") {
    throw new Error(`${name} is not a function exported by ${file}`);
  }
  return found;
}

function userFrames(stack) {
  return String(stack || "").split("\n").filter((line) => !line.includes(__filename)).join("\n");
}

function failure(error) {
  if (error instanceof Error) {
    return { ok: false, type: error.name || "Error", message: error.message, trace: userFrames(error.stack) };
  }
  const text = typeof error === "string" ? error : JSON.stringify(error);
  return { ok: false, type: "Error", message: String(text), trace: "" };
}

function send(outcome) {
  let text;
  try {
    text = JSON.stringify(outcome.ok ? { ok: true, result: outcome.result === undefined ? null : outcome.result }
      : outcome);
  } catch (error) {
    text = JSON.stringify(failure(error));
  }
  fs.writeSync(answers, text + "\n");
}

function contextOf(raw, deadline) {
  return Object.assign({}, raw, {
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  });
}

async function invoke(request) {
  if (handler === null) {
    try {
      handler = await load();
    } catch (error) {
      return failure(error);
    }
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome) => {
      if (!settled) {
        settled = true;
        current = null;
        resolve(outcome);
      }
    };
    current = settle;
    const callback = (error, result) => settle(error != null ? failure(error) : { ok: true, result });
    try {
      const limit = Number(request.context.time_limit_in_ms) || 3000;
      const returned = handler(request.event, contextOf(request.context, Date.now() + limit), callback);
      if (returned && typeof returned.then === "function") {
        returned.then((result) => callback(null, result), (error) => callback(error ?? new Error("rejected")));
      } else if (returned !== undefined || handler.length < 3) {
        callback(null, returned);
      }
    } catch (error) {
      callback(error);
    }
  });
}

// An error thrown later by the invocation's own asynchronous code fails that invocation.
process.on("uncaughtException", (error) => current && current(failure(error)));
process.on("unhandledRejection", (error) => current && current(failure(error ?? new Error("rejected"))));

let chain = Promise.resolve();
let pending = "";
const requests = new net.Socket({ fd: Number(requestFd), readable: true, writable: false });
requests.setEncoding("utf8");
requests.on("data", (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf("\n")) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    chain = chain.then(() => invoke(JSON.parse(line))).then(send);
  }
});
requests.on("end", () => chain.then(() => process.exit(0)));
