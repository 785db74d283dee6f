import { getDatabase } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { serverEnv, submissionTokenKeys } from "@/lib/env";
import { readBodyWithLimit } from "@/lib/http/read-body-with-limit";
import { deliveryResponse } from "@/lib/webhook/delivery-result";
import { MAX_WEBHOOK_BODY_BYTES, receiveCalDelivery } from "@/lib/webhook/receive-cal-delivery";

/** Cal.com's webhook: raw bytes → size cap → signature → parse → one reconciling transaction. */
export async function POST(request: Request): Promise<Response> {
  const body = await readBodyWithLimit(request, MAX_WEBHOOK_BODY_BYTES);
  if (body === null) return deliveryResponse("too_large");

  const env = serverEnv();
  const db = await getDatabase().catch((error: unknown) => {
    if (isDatabaseUnavailable(error)) return null;
    throw error;
  });
  if (!db) return deliveryResponse("database_unavailable");

  const result = await receiveCalDelivery(
    db,
    {
      webhookSecrets: env.CAL_WEBHOOK_SECRET,
      submissionKeys: submissionTokenKeys(env),
      unverifiedPerHour: env.WEBHOOK_UNVERIFIED_LIMIT_PER_HOUR,
    },
    {
      body,
      signatureHeader: request.headers.get("x-cal-signature-256"),
      webhookVersion: request.headers.get("x-cal-webhook-version"),
    },
  );
  return deliveryResponse(result);
}
