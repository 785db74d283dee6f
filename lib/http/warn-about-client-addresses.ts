import type { ServerEnv } from "../env";
import { logger } from "../log/logger";
import { knowsPeerAddress } from "./client-address";

/**
 * With no proxy trusted, only `npm start` can tell clients apart; say so when something else runs the app.
 */
export function warnAboutClientAddresses(env: ServerEnv): void {
  if (env.NODE_ENV !== "production" || env.TRUSTED_PROXY.kind !== "none" || knowsPeerAddress()) return;
  logger().warn(
    { event: "config.client_address" },
    "TRUSTED_PROXY is none but the app was not started with `npm start`: a client can choose the address its rate " +
      "limits and lockouts count against. Start it with `npm start`, or set TRUSTED_PROXY for the proxy in front.",
  );
}
