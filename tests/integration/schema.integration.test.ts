import { describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { databaseForThisFile } from "../support/test-database";
import { createTestLead } from "../support/webhook-harness";

const t = databaseForThisFile();

describe(`schema guarantees (${process.env.TEST_DB})`, () => {
  it("re-running migrations applies nothing and records every file once", async () => {
    expect(await migrate(t.owner)).toEqual([]);
    const rows = await t.owner
      .sql`select version, name from supabase_migrations.schema_migrations order by version`;
    expect(rows[0]).toEqual({ version: "20261126000000", name: "booking_handoff_core" });
  });

  it("the audit log refuses UPDATE, DELETE and TRUNCATE: the app has no such right, and the owner meets the trigger", async () => {
    const lead = await createTestLead(t.db);
    await t.db
      .sql`insert into public.audit_log (actor_type, actor_id, action, lead_id) values ('system', 'test', 'test.entry', ${lead.id})`;
    // The owner's TRUNCATE stops even before the trigger: the seals reference the entries.
    for (const [db, refusal] of [
      [t.db, /permission denied/],
      [t.owner, /append-only|foreign key/],
    ] as const) {
      await expect(db.sql`update public.audit_log set action = 'forged'`).rejects.toThrow(refusal);
      await expect(db.sql`delete from public.audit_log`).rejects.toThrow(refusal);
      await expect(db.sql`truncate public.audit_log`).rejects.toThrow(refusal);
    }
    const [{ n }] = await t.db.sql<{
      n: number;
    }>`select count(*)::int as n from public.audit_log where action = 'test.entry'`;
    expect(n).toBe(1);
  });

  it("row-level security is on for every table in public", async () => {
    const tables = await t.db.sql<{ relname: string; relrowsecurity: boolean }>`
      select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' order by c.relname`;
    expect(tables.map((t) => t.relname)).toEqual([
      "alert_states",
      "audit_chain_anchor",
      "audit_chain_checks",
      "audit_checkpoints",
      "audit_log",
      "audit_seals",
      "booking_uids",
      "csp_reports",
      "health_daily_flow",
      "health_rolled_days",
      "health_stale_days",
      "lead_bookings",
      "lead_stage_changes",
      "leads",
      "rate_limit_hits",
      "refused_delivery_windows",
      "retention_settings",
      "staff_sessions",
      "staff_users",
      "webhook_events",
      "webhook_failures",
    ]);
    expect(tables.every((t) => t.relrowsecurity)).toBe(true);
  });

  it("constraints refuse an unknown stage and a second stage change for one event", async () => {
    const lead = await createTestLead(t.db);
    await expect(t.db.sql`update public.leads set stage = 'won' where id = ${lead.id}`).rejects.toThrow(
      /leads_stage_check/,
    );
    const [event] = await t.db.sql<{ id: string }>`
      insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body)
      values ('test:constraint', 'verified', 'x', '{}') returning id`;
    await t.db.sql`insert into public.lead_stage_changes (lead_id, from_stage, to_stage, webhook_event_id)
      values (${lead.id}, 'new', 'call_booked', ${event.id})`;
    await expect(
      t.db.sql`insert into public.lead_stage_changes (lead_id, from_stage, to_stage, webhook_event_id)
        values (${lead.id}, 'call_booked', 'call_cancelled', ${event.id})`,
    ).rejects.toThrow();
  });
});
