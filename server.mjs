/**
 * `npm start`: the production build behind Node's own HTTP server, for two things `next start` cannot do.
 *
 * - Deadlines. A request (headers and body) that has not fully arrived within REQUEST_TIMEOUT_MS is answered
 *   408 by Node and its connection closed, so a client trickling a body cannot hold a connection for minutes.
 * - The TCP peer. `next start` keeps any X-Forwarded-For a client sends, so with no proxy in front
 *   (TRUSTED_PROXY=none) the client's address would be whatever it claims. Every request here carries the
 *   socket's peer address in `x-booking-handoff-peer`, replacing any copy the client sent.
 *
 * Options as for `next start`: `-p/--port` (or PORT) and `-H/--hostname` (or HOSTNAME).
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import next from "next";

const PEER_HEADER = "x-booking-handoff-peer";

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME ?? "0.0.0.0";
const requestTimeoutMs = Number(process.env.REQUEST_TIMEOUT_MS ?? 10_000);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  throw new Error(`Not a port: ${values.port ?? process.env.PORT}`);
if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 1000)
  throw new Error("REQUEST_TIMEOUT_MS must be at least 1000.");

// Tells the app (same process) that the peer header is ours and can be trusted.
process.env.BOOKING_HANDOFF_PEER_HEADER = PEER_HEADER;

// In the standalone folder (scripts/assemble-standalone.mjs, the Dockerfile) there is no next.config.ts to
// load: Next runs on the configuration the build wrote, as its own standalone server.js does.
const here = path.dirname(fileURLToPath(import.meta.url));
const standalone = !existsSync(path.join(here, "next.config.ts"));
if (standalone) {
  const built = JSON.parse(readFileSync(path.join(here, ".next", "required-server-files.json"), "utf8"));
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(built.config);
}
const app = next({ dev: false, hostname, port, dir: here });
const handle = app.getRequestHandler();

try {
  await app.prepare();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const server = createServer(
  // Node checks deadlines on this interval; its default (30 s) would let a trickle run far past the deadline.
  { requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: 1000 },
  (request, response) => {
    request.headers[PEER_HEADER] = request.socket.remoteAddress ?? "";
    handle(request, response);
  },
);
server.listen(port, hostname, () => {
  console.log(`Booking Handoff listening on http://${hostname}:${port}`);
});

// Requests in flight finish; after a grace period whatever is left is cut.
const shutDown = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.once("SIGTERM", shutDown);
process.once("SIGINT", shutDown);
