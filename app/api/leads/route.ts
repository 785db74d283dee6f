import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { serverEnv } from "@/lib/env";
import { readBodyWithLimit } from "@/lib/http/read-body-with-limit";
import { createLead } from "@/lib/leads/create-lead";
import { leadInputSchema } from "@/lib/leads/lead-input";

const MAX_LEAD_BODY_BYTES = 16 * 1024;

const error = (status: number, body: Record<string, unknown>, headers?: Record<string, string>) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/** Lead capture: JSON in, a lead row and its signed booking link out. Bad input writes nothing. */
export async function POST(request: Request): Promise<Response> {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return error(415, { error: "unsupported_media_type", message: "Send the lead as application/json." });
  }
  const body = await readBodyWithLimit(request, MAX_LEAD_BODY_BYTES);
  if (body === null) return error(413, { error: "payload_too_large" });

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return error(400, { error: "invalid_json", message: "The body is not valid JSON." });
  }
  const input = leadInputSchema.safeParse(json);
  if (!input.success) {
    return error(400, { error: "invalid_input", fieldErrors: z.flattenError(input.error).fieldErrors });
  }

  const secret = serverEnv().SUBMISSION_TOKEN_SECRET;
  if (!secret) return error(503, { error: "not_configured", message: "SUBMISSION_TOKEN_SECRET is not set." });
  try {
    const lead = await createLead(await getDatabase(), input.data, secret);
    return Response.json(lead, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (failure) {
    if (isDatabaseUnavailable(failure)) return error(503, { error: "database_unavailable" }, { "retry-after": "5" });
    throw failure;
  }
}
