/** GET /api/health/live: the process answers (a load balancer's liveness check). Nothing else is said. */
export function GET(): Response {
  return Response.json({ status: "live" }, { headers: { "cache-control": "no-store" } });
}
