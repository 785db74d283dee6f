import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { signCalBody } from "@/lib/cal/signature";
import type { Database } from "@/lib/db/database";
import { createLead } from "@/lib/leads/create-lead";
import type { DeliveryResult } from "@/lib/webhook/delivery-result";
import type { UnverifiedBudget } from "@/lib/webhook/keep-unverified-delivery";
import { receiveCalDelivery } from "@/lib/webhook/receive-cal-delivery";

export const TEST_WEBHOOK_SECRET = "whsec_test_0123456789abcdef0123456789abcdef";
export const TEST_SUBMISSION_SECRET = "submission-test-secret-0123456789abcdef0123456789";
export const TEST_SUBMISSION_KEYS = { secrets: [TEST_SUBMISSION_SECRET], ttlDays: 30 };

let leadCounter = 0;

export async function createTestLead(db: Database, overrides: { name?: string; email?: string } = {}) {
  leadCounter += 1;
  const created = await createLead(
    db,
    {
      name: overrides.name ?? `Lead ${leadCounter}`,
      email: overrides.email ?? `lead${leadCounter}@client.example`,
    },
    TEST_SUBMISSION_KEYS,
  );
  return { id: created.id, token: created.submissionId };
}

export interface DeliverOptions {
  /** Override the signature header (null sends none). */
  signature?: string | null;
  secret?: string;
  secrets?: string[];
  unverified?: Partial<UnverifiedBudget>;
}

/** Sends a body through the same code path as the route, signed as Cal.com would sign it. */
export function deliver(
  db: Database,
  body: object | string,
  options: DeliverOptions = {},
): Promise<DeliveryResult> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const signature =
    options.signature === undefined
      ? signCalBody(raw, options.secret ?? TEST_WEBHOOK_SECRET)
      : options.signature;
  return receiveCalDelivery(
    db,
    {
      webhookSecrets: options.secrets ?? [TEST_WEBHOOK_SECRET],
      submissionKeys: TEST_SUBMISSION_KEYS,
      unverified: { perHour: 100, bytesPerHour: 10 * 1024 * 1024, ...options.unverified },
    },
    { body: Buffer.from(raw, "utf8"), signatureHeader: signature, webhookVersion: "2021-10-20" },
  ).then((report) => report.result);
}

export async function leadRow(db: Database, id: string) {
  const [row] = await db.sql`select * from public.leads where id = ${id}`;
  return row;
}

/** Every lead, serialised: compare two snapshots to prove nothing about any lead changed. */
export async function snapshotLeads(db: Database): Promise<string> {
  return JSON.stringify(await db.sql`select * from public.leads order by id`);
}

export async function countRows(db: Database, table: "lead_stage_changes" | "audit_log", leadId: string) {
  const rows =
    table === "audit_log"
      ? await db.sql<{ n: number }>`select count(*)::int as n from public.audit_log where lead_id = ${leadId}`
      : await db.sql<{
          n: number;
        }>`select count(*)::int as n from public.lead_stage_changes where lead_id = ${leadId}`;
  return rows[0].n;
}

export async function failuresFor(db: Database, event: { bookingUid: string }) {
  return db.sql<{ reason: string; status: string; outcome: string }>`
    select f.reason, f.status, e.outcome from public.webhook_failures f
    join public.webhook_events e on e.id = f.webhook_event_id
    where e.booking_uid = ${event.bookingUid}`;
}

const FIXTURE_DIR = path.join(import.meta.dirname, "..", "fixtures", "cal");

/** The example bodies in tests/fixtures/cal (their README says what each stands for), by number. */
export function loadFixture(number: number): Record<string, unknown> & { payload?: Record<string, unknown> } {
  const prefix = String(number).padStart(2, "0");
  const file = readdirSync(FIXTURE_DIR).find((name) => name.startsWith(`${prefix}-`));
  if (!file) throw new Error(`no fixture ${number}`);
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), "utf8"));
}

/** A fixture with its example submission ID replaced by a real lead's signed token. */
export function withToken<T extends Record<string, unknown>>(body: T, token: string): T {
  const copy = structuredClone(body) as Record<string, unknown> & {
    payload?: { metadata?: Record<string, unknown> };
  };
  const metadata = copy.payload
    ? copy.payload.metadata
    : (copy.metadata as Record<string, unknown> | undefined);
  if (metadata && "submissionId" in metadata) metadata.submissionId = token;
  return copy as T;
}
