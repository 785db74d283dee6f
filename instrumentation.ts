/**
 * Runs once when the server starts, however it is started (`npm start`, `next start`, the standalone server,
 * Vercel). The Node.js runtime's work lives in instrumentation-node.ts, so the Edge build never sees it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./instrumentation-node")).startServer();
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
