/**
 * Runs once when the server starts (Node.js runtime only), however it is started: production refuses to start
 * without its settings, then the audit sealer and the refused-delivery recorder begin.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertProductionSettings, serverEnv } = await import("./lib/env");
  try {
    assertProductionSettings(serverEnv());
  } catch (error) {
    // Next logs a failing register() and serves anyway; a server that cannot do its job must not start.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const [
    { startAuditSealer },
    { auditChainConfigOf },
    { getDatabase },
    { warnAboutClientAddresses },
    { startRefusedWindowRecorder },
  ] = await Promise.all([
    import("./lib/audit/audit-sealer"),
    import("./lib/audit/audit-chain-config"),
    import("./lib/db/process-database"),
    import("./lib/http/warn-about-client-addresses"),
    import("./lib/outage/refused-deliveries"),
  ]);
  startAuditSealer(getDatabase, auditChainConfigOf(serverEnv()));
  startRefusedWindowRecorder(getDatabase);
  warnAboutClientAddresses(serverEnv());
}

/**
 * Every error a request ended on (a 500), with its route and cause; the query string is left out (it can hold
 * a search).
 */
export async function onRequestError(
  error: unknown,
  request: { path: string; method: string },
  context: { routePath: string; routeType: string },
) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { causeOf, logger } = await import("./lib/log/logger");
  logger().error(
    {
      event: "request.failed",
      method: request.method,
      path: request.path.split("?")[0],
      route: context.routePath,
      routeType: context.routeType,
      cause: causeOf(error),
    },
    "request failed",
  );
}
