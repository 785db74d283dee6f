/** Every way a Cal.com delivery can end, and the one table that maps it to an HTTP answer. */
export type DeliveryResult =
  | "applied"
  | "duplicate"
  | "stale"
  | "ignored"
  | "queued"
  | "unverified"
  | "too_large"
  | "too_slow"
  | "not_configured"
  | "database_unavailable";

interface Answer {
  status: number;
  body: Record<string, string>;
  retryAfterSeconds?: number;
}

// Never 3xx (Cal.com does not follow redirects) and never 410 (it disables the webhook). 5xx makes the
// queued delivery paths retry; 401 and 413 are final because the same body will never pass.
const ANSWERS: Record<DeliveryResult, Answer> = {
  applied: { status: 200, body: { status: "applied" } },
  duplicate: { status: 200, body: { status: "duplicate" } },
  stale: { status: 200, body: { status: "stale" } },
  ignored: { status: 200, body: { status: "ignored" } },
  queued: { status: 200, body: { status: "queued" } },
  unverified: { status: 401, body: { error: "invalid_signature" } },
  too_large: { status: 413, body: { error: "payload_too_large" } },
  too_slow: { status: 408, body: { error: "request_timeout" } },
  not_configured: { status: 503, body: { error: "webhook_not_configured" }, retryAfterSeconds: 60 },
  database_unavailable: { status: 503, body: { error: "database_unavailable" }, retryAfterSeconds: 5 },
};

export function deliveryResponse(result: DeliveryResult): Response {
  const answer = ANSWERS[result];
  // no-transform: a 30-byte answer is not worth compressing (Next.js would gzip it for every Cal.com
  // request).
  const headers: Record<string, string> = { "cache-control": "no-store, no-transform" };
  if (answer.retryAfterSeconds !== undefined) headers["retry-after"] = String(answer.retryAfterSeconds);
  return Response.json(answer.body, { status: answer.status, headers });
}
