import { randomUUID } from "node:crypto";
import type { StaffRole } from "@/lib/auth/staff";
import { sha256Hex } from "@/lib/cal/event-identity";
import { makeBookingCreated, newBookingUid } from "@/lib/cal/payload-factories";
import type { Database } from "@/lib/db/database";
import { upsertStaffUser } from "@/lib/db/queries/staff-users";
import type { StaffCaller } from "@/lib/audit/staff-actor";
import { deliver } from "./webhook-harness";

/** A staff account and the request it acts from, as the guarded actions hand it to the domain. */
export async function createTestStaff(db: Database, role: StaffRole = "staff"): Promise<StaffCaller> {
  const { user } = await upsertStaffUser(db.sql, {
    email: `${role}-${randomUUID().slice(0, 8)}@team.example`,
    role,
    passwordHash: null,
  });
  return {
    staff: { id: user.id, email: user.email, role },
    context: { ip: "203.0.113.7", userAgent: "vitest", requestId: randomUUID() },
  };
}

/** A signed BOOKING_CREATED without our metadata for an unknown booking: it queues as `unmatched`. */
export async function queueUnmatchedBooking(
  db: Database,
  attendee: { name: string; email: string },
  options: { signature?: string | null } = {},
) {
  const uid = newBookingUid();
  const body = makeBookingCreated({ uid, submissionToken: null, attendee });
  const result = await deliver(db, body, options);
  const [failure] = await db.sql<{ id: string; version: number }>`
    select f.id, f.version from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
    where e.body_sha256 = ${sha256Hex(JSON.stringify(body))}`;
  if (!failure) throw new Error(`no failure queued (delivery answered ${JSON.stringify(result)})`);
  return { failureId: failure.id, version: failure.version, uid, body };
}

export async function auditRowsFor(db: Database, failureId: string) {
  return db.sql<{
    action: string;
    actor_type: string;
    actor_email: string | null;
    reason: string | null;
    request_context: Record<string, unknown> | null;
    lead_id: string | null;
  }>`
    select action, actor_type, actor_email, reason, request_context, lead_id from public.audit_log
    where failure_id = ${failureId} order by id`;
}

export async function failureRow(db: Database, failureId: string) {
  const [row] = await db.sql<{
    status: string;
    resolution: string | null;
    resolution_note: string | null;
    resolved_lead_id: string | null;
    version: number;
  }>`
    select status, resolution, resolution_note, resolved_lead_id, version from public.webhook_failures where id = ${failureId}`;
  return row;
}
