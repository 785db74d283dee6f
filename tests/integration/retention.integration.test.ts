import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { appendAudit } from "@/lib/db/queries/audit-log";
import { purgeExpiredData } from "@/lib/retention/purge-expired-data";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();
const POLICY = { bodyDays: 90, auditDays: 365 };

let counter = 0;
async function storedEvent(options: { daysAgo: number; linked: boolean; verification?: string; failure?: string }) {
  counter += 1;
  const [lead] = options.linked
    ? await t.db.sql<{ id: string }>`insert into public.leads (submission_id, name, email) values (${`ret${counter}`}, 'R', 'r@x.example') returning id`
    : [{ id: null }];
  const [event] = await t.db.sql<{ id: string }>`
    insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body, signature_header, trigger_event,
      booking_uid, attendee_email, attendee_name, submission_token, event, outcome, lead_id, received_at)
    values (${`ret:${counter}`}, ${options.verification ?? "verified"}, ${`r${counter}`}, '{"personal":"data"}', 'sig', 'BOOKING_CREATED',
      ${`uid${counter}`}, 'person@client.example', 'Person', 'sub_x.y', '{"bookingUid":"x"}'::jsonb, 'applied', ${lead.id},
      now() - make_interval(days => ${options.daysAgo}::int))
    returning id`;
  if (options.failure) await t.db.sql`insert into public.webhook_failures (webhook_event_id, reason, status) values (${event.id}, 'unmatched', ${options.failure})`;
  return event.id;
}

/**
 * Makes the entries up to `throughSeq` 400 days old, as a superuser could, and re-links the whole chain so
 * it is intact again: the state a year of real use leaves behind.
 */
async function backdate(throughSeq: number) {
  await t.db.sql`alter table public.audit_log disable trigger audit_log_no_update_delete`;
  try {
    await t.db.sql`update public.audit_log set occurred_at = now() - interval '400 days' where chain_seq <= ${throughSeq}`;
    const all = await t.db.sql<{ seq: number }>`select chain_seq as seq from public.audit_log order by chain_seq`;
    for (const { seq } of all) {
      await t.db.sql`update public.audit_log a set prev_hash = p.row_hash, row_hash = public.audit_log_row_hash(p.row_hash, a)
        from (select (select row_hash from public.audit_log where chain_seq = ${seq} - 1) as row_hash) p where a.chain_seq = ${seq}`;
    }
  } finally {
    await t.db.sql`alter table public.audit_log enable trigger audit_log_no_update_delete`;
  }
}

async function eventRow(id: string) {
  const [row] = await t.db.sql`select raw_body, signature_header, event, attendee_email, submission_token, booking_uid, outcome,
    idempotency_key, body_purged_at is not null as purged from public.webhook_events where id = ${id}`;
  return row;
}

describe(`retention on ${process.env.TEST_DB}`, () => {
  it("purges bodies past the period and nothing else; a lead's events keep what its state is folded from", async () => {
    const recent = await storedEvent({ daysAgo: 10, linked: true });
    const oldLinked = await storedEvent({ daysAgo: 120, linked: true });
    const oldUnmatched = await storedEvent({ daysAgo: 120, linked: false, failure: "discarded" });
    const oldOpen = await storedEvent({ daysAgo: 100, linked: false, verification: "unverified", failure: "open" });

    const report = await purgeExpiredData(t.db, POLICY);
    expect(report.bodiesPurged).toBe(3);
    expect(await eventRow(recent)).toMatchObject({ raw_body: '{"personal":"data"}', signature_header: "sig", purged: false });
    expect(await eventRow(oldLinked)).toMatchObject({ raw_body: "", signature_header: null, event: { bookingUid: "x" }, attendee_email: "person@client.example", purged: true });
    for (const id of [oldUnmatched, oldOpen]) {
      expect(await eventRow(id)).toMatchObject({ raw_body: "", event: null, attendee_email: null, submission_token: null, booking_uid: expect.any(String), outcome: "applied", purged: true });
    }
    const [open] = await t.db.sql`select status from public.webhook_failures f where f.webhook_event_id = ${oldOpen}`;
    expect(open.status).toBe("open");
    expect((await purgeExpiredData(t.db, POLICY)).bodiesPurged).toBe(0);
    // Only the run that removed something is in the audit trail.
    expect(await t.db.sql`select 1 from public.audit_log where action = 'retention.purged'`).toHaveLength(1);
  });

  it("removes audit entries older than the period from the front of the chain, which still verifies from its anchor", async () => {
    for (let n = 0; n < 6; n++) await appendAudit(t.db.sql, { actor: { type: "system", id: "t" }, action: "test.entry", after: { n } });
    const seqs = await t.db.sql<{ seq: number }>`select chain_seq as seq from public.audit_log order by chain_seq`;
    await backdate(seqs[2].seq);
    expect(await verifyAuditChain(t.db.sql)).toMatchObject({ intact: true });

    const report = await purgeExpiredData(t.db, POLICY);
    expect(report).toMatchObject({ auditEntriesPurged: 3, chainAnchorSeq: seqs[2].seq });
    expect((await t.db.sql<{ seq: number }>`select min(chain_seq)::int as seq from public.audit_log`)[0].seq).toBe(seqs[3].seq);
    expect(await verifyAuditChain(t.db.sql)).toMatchObject({ intact: true });
    const [purge] = await t.db.sql`select after from public.audit_log where action = 'retention.purged' order by chain_seq desc limit 1`;
    expect(purge.after).toMatchObject({ auditEntriesPurged: 3, bodyDays: 90, auditDays: 365 });

    // Entries after the anchor stay append-only, even with the purge switch on.
    await expect(t.db.transaction(async (tx) => {
      await tx`select set_config('booking_handoff.audit_purge', 'on', true)`;
      await tx`delete from public.audit_log where chain_seq = ${seqs[4].seq}`;
    })).rejects.toThrow(/append-only/);
    await expect(t.db.sql`delete from public.audit_log where chain_seq = ${seqs[4].seq}`).rejects.toThrow(/append-only/);

    // An edit inside the kept range is still caught.
    await t.db.sql`alter table public.audit_log disable trigger audit_log_no_update_delete`;
    await t.db.sql`update public.audit_log set reason = 'rewritten' where chain_seq = ${seqs[4].seq}`;
    await t.db.sql`alter table public.audit_log enable trigger audit_log_no_update_delete`;
    expect(await verifyAuditChain(t.db.sql)).toMatchObject({ intact: false, brokenSeq: seqs[4].seq });
  });

  it("a chain whose entries were all removed continues from its anchor", async () => {
    const [head] = await t.db.sql<{ seq: number }>`select max(chain_seq)::int as seq from public.audit_log`;
    await t.db.sql`alter table public.audit_log disable trigger audit_log_no_update_delete`;
    await t.db.sql`update public.audit_log set reason = null where reason = 'rewritten'`;
    await t.db.sql`alter table public.audit_log enable trigger audit_log_no_update_delete`;
    await backdate(head.seq);
    const report = await purgeExpiredData(t.db, POLICY);
    expect(report.chainAnchorSeq).toBe(head.seq);
    const rows = await t.db.sql<{ seq: number; action: string }>`select chain_seq as seq, action from public.audit_log`;
    expect(rows).toEqual([{ seq: head.seq + 1, action: "retention.purged" }]);
    expect(await verifyAuditChain(t.db.sql)).toMatchObject({ intact: true, rows: 1 });
  });
});
