import { claimedEvent, claimsOf } from "../cal/claimed-event";
import { bodyIdempotencyKey, sha256Hex } from "../cal/event-identity";
import { parseCalBody } from "../cal/parse-cal-body";
import { verifyCalSignature } from "../cal/signature";
import type { Database } from "../db/database";
import { isDatabaseUnavailable } from "../db/errors";
import { type DeliveryRecord, recordDelivery } from "../db/queries/webhook-events";
import { type FailureReason, enqueueFailure } from "../db/queries/webhook-failures";
import { reconcileCalEvent, webhookOrigin } from "../reconcile/reconcile-cal-event";
import type { SubmissionTokenKeys } from "../leads/submission-token";
import type { DeliveryResult } from "./delivery-result";
import {
  type UnverifiedBudget,
  keepUnverifiedDelivery,
  unverifiedBodyPrefix,
} from "./keep-unverified-delivery";

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface WebhookConfig {
  webhookSecrets: readonly string[];
  submissionKeys: SubmissionTokenKeys | null;
  unverified: UnverifiedBudget;
}

export interface IncomingDelivery {
  body: Uint8Array;
  signatureHeader: string | null;
  webhookVersion: string | null;
  /** Recorded with any audit entry the delivery writes, so the entry and the delivery's log line meet. */
  requestId?: string;
}

/** What a delivery's log line may say about it besides its result (no body, no attendee). */
interface DeliveryNotes {
  /** The trigger a verified body named; null for unsigned or unreadable ones. */
  trigger: string | null;
  /** Why the database was unavailable, for the operator. */
  cause?: unknown;
}

/** How a delivery ended. */
export interface DeliveryReport extends DeliveryNotes {
  result: DeliveryResult;
  /** Names the delivery's bytes: repeats of one delivery share it (null when it was never read whole). */
  bodySha256: string | null;
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

/** Stores a signed delivery that changes no lead, and queues it for staff when `failure` is given. */
async function keepDelivery(
  db: Database,
  record: DeliveryRecord,
  failure: { reason: FailureReason; detail: string } | null,
): Promise<"stored" | "duplicate"> {
  return db.transaction(async (tx) => {
    const stored = await recordDelivery(tx, record);
    if (!stored.inserted) return "duplicate";
    if (failure) await enqueueFailure(tx, stored.id, failure.reason, failure.detail);
    return "stored";
  });
}

export async function receiveCalDelivery(
  db: Database,
  config: WebhookConfig,
  delivery: IncomingDelivery,
): Promise<DeliveryReport> {
  const bodySha256 = sha256Hex(delivery.body);
  const notes: DeliveryNotes = { trigger: null };
  const result = await classify(db, config, delivery, bodySha256, notes);
  return { result, bodySha256, ...notes };
}

async function classify(
  db: Database,
  config: WebhookConfig,
  delivery: IncomingDelivery,
  bodySha256: string,
  notes: DeliveryNotes,
): Promise<DeliveryResult> {
  if (config.webhookSecrets.length === 0 || !config.submissionKeys) return "not_configured";
  const base = {
    bodySha256,
    rawBody: storableText(delivery.body),
    signatureHeader: delivery.signatureHeader,
    webhookVersion: delivery.webhookVersion,
  };

  try {
    if (!verifyCalSignature(delivery.body, delivery.signatureHeader, config.webhookSecrets)) {
      const prefix = unverifiedBodyPrefix(delivery.body);
      const kept = storableText(prefix.kept);
      const claimed = claimedEvent(kept);
      const record = {
        ...base,
        rawBody: kept,
        claimed: claimed ? claimsOf(claimed) : null,
        idempotencyKey: bodyIdempotencyKey("unverified", bodySha256),
        verification: "unverified",
        event: null,
        triggerEvent: null,
        outcome: "queued",
      } as const;
      const problem = delivery.signatureHeader
        ? "signature does not match any configured secret"
        : "no signature header";
      const detail = prefix.note ? `${problem}; ${prefix.note}` : problem;
      await keepUnverifiedDelivery(db, record, detail, config.unverified).catch((error: unknown) => {
        if (!isDatabaseUnavailable(error)) throw error;
        notes.cause = error;
      });
      return "unverified";
    }

    const json = parseJson(delivery.body);
    const parsed = json.ok
      ? parseCalBody(json.value)
      : ({ kind: "unsupported", trigger: null, problem: "body is not valid UTF-8 JSON" } as const);
    notes.trigger = parsed.kind === "event" ? parsed.event.trigger : parsed.trigger;
    if (parsed.kind === "event") {
      const origin = {
        ...webhookOrigin(parsed.event),
        requestContext: delivery.requestId ? { requestId: delivery.requestId } : null,
      };
      return await reconcileCalEvent(db, base, parsed.event, config.submissionKeys, origin);
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
    if (!isDatabaseUnavailable(error)) throw error;
    notes.cause = error;
    return "database_unavailable";
  }
}
