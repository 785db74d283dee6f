import { describe, expect, it } from "vitest";
import { signCheckpoint, writeCheckpoint } from "@/lib/audit/audit-checkpoint";
import { purgeExpiredData } from "@/lib/retention/purge-expired-data";
import {
  TEST_CHAIN_KEYS,
  appendTestEntry,
  behindTheAppsBack,
  resetChain,
  seal,
  sealsInOrder,
  verify,
} from "../support/audit-chain-harness";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();
const POLICY = { bodyDays: 90, unverifiedBodyDays: 7 };

let counter = 0;
async function storedEvent(options: {
  daysAgo: number;
  linked: boolean;
  verification?: string;
  failure?: string;
}) {
  counter += 1;
  const [lead] = options.linked
    ? await t.db.sql<{
        id: string;
      }>`insert into public.leads (submission_id, name, email) values (${`ret${counter}`}, 'R', 'r@x.example') returning id`
    : [{ id: null }];
  const [event] = await t.db.sql<{ id: string }>`
    insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body, signature_header, trigger_event,
      booking_uid, attendee_email, attendee_name, submission_token, event, outcome, lead_id, received_at)
    values (${`ret:${counter}`}, ${options.verification ?? "verified"}, ${`r${counter}`}, '{"personal":"data"}', 'sig', 'BOOKING_CREATED',
      ${`uid${counter}`}, 'person@client.example', 'Person', 'sub_x.y', '{"bookingUid":"x"}'::jsonb, 'applied', ${lead.id},
      now() - make_interval(days => ${options.daysAgo}::int))
    returning id`;
  if (options.failure)
    await t.db
      .sql`insert into public.webhook_failures (webhook_event_id, reason, status) values (${event.id}, 'unmatched', ${options.failure})`;
  return event.id;
}

/**
 * A year of real use, as only the owner could fake it: the first `count` entries were written, sealed and
 * covered by a checkpoint (signed then, with our key) 400 days ago. Then everything is sealed.
 */
async function ageTheFirst(count: number) {
  const then = new Date(Date.now() - 400 * 86_400_000).toISOString();
  await behindTheAppsBack(
    t.owner,
    (tx) => tx`
    update public.audit_log set occurred_at = ${then}::timestamptz
    where id in (select id from public.audit_log order by id limit ${count})`,
  );
  await seal(t.db);
  const seals = await sealsInOrder(t.db);
  const edge = seals[count - 1];
  const [head] = await t.db.sql<{ mac: string }>`select mac from public.audit_seals where seq = ${edge.seq}`;
  const checkpoint = signCheckpoint({ seq: edge.seq, mac: head.mac }, TEST_CHAIN_KEYS, new Date(then));
  await behindTheAppsBack(t.owner, async (tx) => {
    await tx`update public.audit_seals set sealed_at = ${then}::timestamptz where seq <= ${edge.seq}`;
    await tx`insert into public.audit_checkpoints (head_seq, head_mac, signed_at, key_id, mac, created_at)
      values (${checkpoint.headSeq}, ${checkpoint.headMac}, ${checkpoint.signedAt}::timestamptz, ${checkpoint.keyId},
        ${checkpoint.mac}, ${then}::timestamptz)`;
  });
  return seals;
}

async function eventRow(id: string) {
  const [row] = await t.db
    .sql`select raw_body, signature_header, event, attendee_email, submission_token, booking_uid, outcome,
    idempotency_key, body_purged_at is not null as purged from public.webhook_events where id = ${id}`;
  return row;
}

describe(`retention on ${process.env.TEST_DB}`, () => {
  it("purges bodies past the period and nothing else; a lead's events keep what its state is folded from", async () => {
    const recent = await storedEvent({ daysAgo: 10, linked: true });
    const oldLinked = await storedEvent({ daysAgo: 120, linked: true });
    const oldUnmatched = await storedEvent({ daysAgo: 120, linked: false, failure: "discarded" });
    const oldOpen = await storedEvent({
      daysAgo: 100,
      linked: false,
      verification: "unverified",
      failure: "open",
    });
    const weekOldUnverified = await storedEvent({
      daysAgo: 8,
      linked: false,
      verification: "unverified",
      failure: "open",
    });
    const newUnverified = await storedEvent({
      daysAgo: 6,
      linked: false,
      verification: "unverified",
      failure: "open",
    });

    const report = await purgeExpiredData(t.db, POLICY);
    expect(report.bodiesPurged).toBe(4);
    expect(await eventRow(newUnverified)).toMatchObject({ raw_body: '{"personal":"data"}', purged: false });
    expect(await eventRow(recent)).toMatchObject({
      raw_body: '{"personal":"data"}',
      signature_header: "sig",
      purged: false,
    });
    expect(await eventRow(oldLinked)).toMatchObject({
      raw_body: "",
      signature_header: null,
      event: { bookingUid: "x" },
      attendee_email: "person@client.example",
      purged: true,
    });
    for (const id of [oldUnmatched, oldOpen, weekOldUnverified]) {
      expect(await eventRow(id)).toMatchObject({
        raw_body: "",
        event: null,
        attendee_email: null,
        submission_token: null,
        booking_uid: expect.any(String),
        outcome: "applied",
        purged: true,
      });
    }
    const [open] = await t.db
      .sql`select status from public.webhook_failures f where f.webhook_event_id = ${oldOpen}`;
    expect(open.status).toBe("open");
    expect((await purgeExpiredData(t.db, POLICY)).bodiesPurged).toBe(0);
    // Only the run that removed something is in the audit trail.
    expect(await t.db.sql`select 1 from public.audit_log where action = 'retention.purged'`).toHaveLength(1);
  });

  it("removes audit entries older than the period from the front of the chain, which still verifies from its anchor", async () => {
    await resetChain(t.owner);
    for (let n = 0; n < 6; n++) await appendTestEntry(t.db, n);
    const seals = await ageTheFirst(3);
    expect(await verify(t.db)).toMatchObject({ intact: true });

    const report = await purgeExpiredData(t.db, POLICY);
    expect(report).toMatchObject({ auditEntriesPurged: 3, chainAnchorSeq: seals[2].seq, auditDays: 365 });
    const left = await sealsInOrder(t.db);
    expect(left.map((s) => s.seq)).toEqual(seals.slice(3).map((s) => s.seq));
    await seal(t.db);
    expect(await verify(t.db)).toMatchObject({ intact: true });
    const [purge] = await t.db
      .sql`select after from public.audit_log where action = 'retention.purged' order by id desc limit 1`;
    expect(purge.after).toMatchObject({
      auditEntriesPurged: 3,
      bodyDays: 90,
      unverifiedBodyDays: 7,
      auditDays: 365,
    });
    // Run again: nothing more is old enough.
    expect((await purgeExpiredData(t.db, POLICY)).auditEntriesPurged).toBe(0);
  });

  it("an owner who moves the anchor forward to delete recent entries is caught: no old checkpoint covers them", async () => {
    await resetChain(t.owner);
    for (let n = 0; n < 6; n++) await appendTestEntry(t.db, n);
    const seals = await ageTheFirst(2);
    await writeCheckpoint(t.db, TEST_CHAIN_KEYS);
    const recent = seals[4];
    const [mac] = await t.db.sql<{
      mac: string;
    }>`select mac from public.audit_seals where seq = ${recent.seq}`;
    // The attack from the issue: re-anchor, switch the purge on, delete the last hour's entries.
    await t.owner.transaction(async (tx) => {
      await tx`insert into public.audit_chain_anchor (id, seq, mac) values (true, ${recent.seq}, ${mac.mac})
        on conflict (id) do update set seq = excluded.seq, mac = excluded.mac`;
      await tx`select set_config('booking_handoff.audit_purge', 'on', true)`;
      const gone = await tx<{
        entry_id: number;
      }>`delete from public.audit_seals where seq <= ${recent.seq} returning entry_id`;
      await tx`delete from public.audit_log where id = any(${gone.map((row) => row.entry_id)}::bigint[])`;
    });
    expect(await verify(t.db)).toMatchObject({
      intact: false,
      brokenSeq: recent.seq,
      problem: expect.stringMatching(/no checkpoint signed more than 365 days ago covers them/),
    });
  });

  it("the purge cannot be steered: it takes no cut-off, and the app cannot change the setting it reads", async () => {
    await resetChain(t.owner);
    for (let n = 0; n < 3; n++) await appendTestEntry(t.db, n);
    await seal(t.db);
    await writeCheckpoint(t.db, TEST_CHAIN_KEYS);
    await expect(t.db.sql`select public.purge_expired_audit_entries(0)`).rejects.toThrow();
    await expect(t.db.sql`update public.retention_settings set audit_days = 30`).rejects.toThrow(
      /permission denied/,
    );
    await expect(t.owner.sql`update public.retention_settings set audit_days = 1`).rejects.toThrow(
      /audit_days_check/,
    );
    expect((await purgeExpiredData(t.db, POLICY)).auditEntriesPurged).toBe(0);
    expect(await t.db.sql`select 1 from public.audit_log`).toHaveLength(3);
  });
});
