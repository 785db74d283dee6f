import { getDatabase } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { serverEnv, submissionTokenKeys } from "@/lib/env";
import { readBodyWithLimit } from "@/lib/http/read-body-with-limit";
import { requestIdOf } from "@/lib/http/request-id";
import {
  noteRefusedDelivery,
  pendingRefusedWindow,
  recordRefusedWindow,
} from "@/lib/outage/refused-deliveries";
import { logDelivery } from "@/lib/webhook/log-delivery";
import { deliveryResponse } from "@/lib/webhook/delivery-result";
import {
  type DeliveryReport,
  MAX_WEBHOOK_BODY_BYTES,
  receiveCalDelivery,
} from "@/lib/webhook/receive-cal-delivery";

/**
 * Cal.com's webhook: raw bytes → size cap → signature → parse → one reconciling transaction. One log line
 * each.
 */
export async function POST(request: Request): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(request.headers);
  const report = await receive(request, requestId);
  if (report.result === "database_unavailable") noteRefusedDelivery();
  const response = deliveryResponse(report.result);
  logDelivery({ ...report, status: response.status, requestId, durationMs: performance.now() - started });
  return response;
}

async function receive(request: Request, requestId: string): Promise<DeliveryReport> {
  const read = await readBodyWithLimit(request, MAX_WEBHOOK_BODY_BYTES);
  if (read.kind !== "read") return { result: read.kind, trigger: null, bodySha256: null };

  const env = serverEnv();
  let cause: unknown;
  const db = await getDatabase().catch((error: unknown) => {
    if (!isDatabaseUnavailable(error)) throw error;
    cause = error;
    return null;
  });
  if (!db) return { result: "database_unavailable", trigger: null, bodySha256: null, cause };

  const report = await receiveCalDelivery(
    db,
    {
      webhookSecrets: env.CAL_WEBHOOK_SECRET,
      submissionKeys: submissionTokenKeys(env),
      unverified: {
        perHour: env.WEBHOOK_UNVERIFIED_LIMIT_PER_HOUR,
        bytesPerHour: env.WEBHOOK_UNVERIFIED_BYTES_PER_HOUR,
      },
    },
    {
      body: read.body,
      signatureHeader: request.headers.get("x-cal-signature-256"),
      webhookVersion: request.headers.get("x-cal-webhook-version"),
      requestId,
    },
  );
  // On hosts where nothing runs between requests, the first delivery that reaches the database writes the
  // window.
  if (report.result !== "database_unavailable" && pendingRefusedWindow())
    await recordRefusedWindow(db.sql).catch(() => null);
  return report;
}
