import { bodyIdempotencyKey, sha256Hex } from "../cal/event-identity";
import { parseCalBody } from "../cal/parse-cal-body";
import { verifyCalSignature } from "../cal/signature";
import type { Database } from "../db/database";
import { isDatabaseUnavailable } from "../db/errors";
import { type DeliveryRecord, recordDelivery } from "../db/queries/webhook-events";
import { type FailureReason, enqueueFailure } from "../db/queries/webhook-failures";
import { reconcileCalEvent } from "../reconcile/reconcile-cal-event";
import type { SubmissionTokenKeys } from "../leads/submission-token";
import type { DeliveryResult } from "./delivery-result";

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface WebhookConfig {
  webhookSecrets: readonly string[];
  submissionKeys: SubmissionTokenKeys | null;
  unverifiedPerHour: number;
}

export interface IncomingDelivery {
  body: Uint8Array;
  signatureHeader: string | null;
  webhookVersion: string | null;
}

// Postgres text cannot hold NUL, and a body we keep for staff to read need not be valid UTF-8.
function storableText(body: Uint8Array): string {
  return new TextDecoder("utf-8").decode(body).replaceAll("\u0000", "\uFFFD");
}

function parseJson(body: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) };
  } catch {
    return { ok: false };
  }
}

/** Stores a delivery that changes no lead, and queues it for staff when `reason` is given. */
async function keepDelivery(
  db: Database,
  record: DeliveryRecord,
  failure: { reason: FailureReason; detail: string } | null,
  unverifiedPerHour?: number,
): Promise<"stored" | "duplicate" | "dropped"> {
  return db.transaction(async (tx) => {
    const stored = await recordDelivery(tx, record, { unverifiedPerHour });
    if (!stored) return "dropped";
    if (!stored.inserted) return "duplicate";
    if (failure) await enqueueFailure(tx, stored.id, failure.reason, failure.detail);
    return "stored";
  });
}

export async function receiveCalDelivery(
  db: Database,
  config: WebhookConfig,
  delivery: IncomingDelivery,
): Promise<DeliveryResult> {
  if (config.webhookSecrets.length === 0 || !config.submissionKeys) return "not_configured";
  const bodySha256 = sha256Hex(delivery.body);
  const base = {
    bodySha256,
    rawBody: storableText(delivery.body),
    signatureHeader: delivery.signatureHeader,
    webhookVersion: delivery.webhookVersion,
  };

  try {
    if (!verifyCalSignature(delivery.body, delivery.signatureHeader, config.webhookSecrets)) {
      const record = {
        ...base,
        idempotencyKey: bodyIdempotencyKey("unverified", bodySha256),
        verification: "unverified",
        event: null,
        triggerEvent: null,
        outcome: "queued",
      } as const;
      // Capped per hour and deduplicated by body hash, so this door cannot fill the database.
      const detail = delivery.signatureHeader ? "signature does not match any configured secret" : "no signature header";
      await keepDelivery(db, record, { reason: "unverified", detail }, config.unverifiedPerHour).catch((error: unknown) => {
        if (!isDatabaseUnavailable(error)) throw error;
      });
      return "unverified";
    }

    const json = parseJson(delivery.body);
    const parsed = json.ok
      ? parseCalBody(json.value)
      : ({ kind: "unsupported", trigger: null, problem: "body is not valid UTF-8 JSON" } as const);
    if (parsed.kind === "event") {
      return await reconcileCalEvent(db, base, parsed.event, config.submissionKeys);
    }
    const ignored = parsed.kind === "ignored";
    const kept = await keepDelivery(
      db,
      {
        ...base,
        idempotencyKey: bodyIdempotencyKey(ignored ? parsed.trigger : "unsupported", bodySha256),
        verification: "verified",
        event: null,
        triggerEvent: parsed.trigger,
        outcome: ignored ? "ignored" : "queued",
      },
      parsed.kind === "unsupported" ? { reason: "unsupported_payload", detail: parsed.problem } : null,
    );
    if (kept === "duplicate") return "duplicate";
    return ignored ? "ignored" : "queued";
  } catch (error) {
    if (isDatabaseUnavailable(error)) return "database_unavailable";
    throw error;
  }
}
