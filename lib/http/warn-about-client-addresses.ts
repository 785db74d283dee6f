import type { ServerEnv } from "../env";
import { logger } from "../log/logger";
import { knowsPeerAddress } from "./client-address";

/**
 * With no proxy trusted, only `npm start` (server.mjs) can tell clients apart and hold requests to a deadline;
 * say so, loudly and at start, when something else runs the app.
 */
export function warnAboutClientAddresses(env: ServerEnv): void {
  if (env.NODE_ENV !== "production" || env.TRUSTED_PROXY.kind !== "none" || knowsPeerAddress()) return;
  logger().warn(
    { event: "config.client_address" },
    "TRUSTED_PROXY is none but the app was not started with `npm start` (or `node server.mjs`): a client can " +
      "choose the address its rate limits and lockouts count against, and no REQUEST_TIMEOUT_MS deadline closes a " +
      "request that never finishes arriving. Start it with `npm start` (`node server.mjs` in the standalone " +
      "folder), or set TRUSTED_PROXY for the proxy in front.",
  );
}
