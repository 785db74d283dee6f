import { getDatabase } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { serverEnv, submissionTokenKeys } from "@/lib/env";
import { readBodyWithLimit } from "@/lib/http/read-body-with-limit";
import { captureLead } from "@/lib/leads/capture-lead";
import { causeOf, logger } from "@/lib/log/logger";
import { clientAddress } from "@/lib/http/client-address";

const MAX_LEAD_BODY_BYTES = 16 * 1024;

const answer = (status: number, body: Record<string, unknown>, headers?: Record<string, string>) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/** Lead capture: JSON in, a lead row and its signed booking link out. Bad input writes nothing. */
export async function POST(request: Request): Promise<Response> {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return answer(415, { error: "unsupported_media_type", message: "Send the lead as application/json." });
  }
  const read = await readBodyWithLimit(request, MAX_LEAD_BODY_BYTES);
  if (read.kind === "too_large") return answer(413, { error: "payload_too_large" });
  if (read.kind === "too_slow")
    return answer(408, { error: "request_timeout", message: "The body did not arrive in time." });

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.body));
  } catch {
    return answer(400, { error: "invalid_json", message: "The body is not valid JSON." });
  }
  const env = serverEnv();
  const submissionKeys = submissionTokenKeys(env);
  if (!submissionKeys)
    return answer(503, { error: "not_configured", message: "SUBMISSION_TOKEN_SECRET is not set." });
  try {
    const result = await captureLead(await getDatabase(), json, {
      client: clientAddress(request.headers, env.TRUSTED_PROXY),
      submissionKeys,
      limitPer10Minutes: env.LEAD_RATE_LIMIT_PER_10_MINUTES,
    });
    if (result.kind === "invalid")
      return answer(400, { error: "invalid_input", fieldErrors: result.fieldErrors });
    if (result.kind === "rate_limited")
      return answer(429, { error: "rate_limited" }, { "retry-after": "600" });
    return answer(201, { ...result.lead });
  } catch (failure) {
    if (!isDatabaseUnavailable(failure)) throw failure;
    logger().error(
      { event: "lead.capture_failed", cause: causeOf(failure) },
      "lead capture could not reach the database",
    );
    return answer(503, { error: "database_unavailable" }, { "retry-after": "5" });
  }
}
