import { describe, expect, it } from "vitest";
import { writeCheckpoint } from "@/lib/audit/audit-checkpoint";
import type { Database, Sql } from "@/lib/db/database";
import { migrate } from "@/lib/db/migrate";
import { TEST_CHAIN_KEYS, appendTestEntry, seal, verify } from "../support/audit-chain-harness";
import { openEmptyDatabase } from "../support/empty-database";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();
const REFUSED = /permission denied|must be owner|insufficient_privilege|append-only/;

/** Runs one statement as the app and says whether the database refused it (each in its own transaction). */
async function refused(db: Database, statement: (tx: Sql) => Promise<unknown>): Promise<boolean> {
  try {
    await db.transaction((tx) => statement(tx));
    return false;
  } catch (error) {
    if (REFUSED.test(String(error))) return true;
    throw error;
  }
}

describe(`the app's own database role, as an attacker holding its credentials (${process.env.TEST_DB})`, () => {
  it("cannot change, delete or truncate audit entries, seals or checkpoints", async () => {
    await appendTestEntry(t.db, 1);
    await seal(t.db);
    await writeCheckpoint(t.db, TEST_CHAIN_KEYS);
    expect(await refused(t.db, (tx) => tx`update public.audit_log set reason = 'forged'`)).toBe(true);
    expect(await refused(t.db, (tx) => tx`delete from public.audit_log`)).toBe(true);
    expect(await refused(t.db, (tx) => tx`truncate public.audit_log`)).toBe(true);
    expect(await refused(t.db, (tx) => tx`update public.audit_seals set mac = 'forged'`)).toBe(true);
    expect(await refused(t.db, (tx) => tx`delete from public.audit_seals`)).toBe(true);
    expect(await refused(t.db, (tx) => tx`truncate public.audit_seals`)).toBe(true);
    expect(await refused(t.db, (tx) => tx`delete from public.audit_checkpoints`)).toBe(true);
    expect(await verify(t.db)).toMatchObject({ intact: true });
  });

  it("cannot re-anchor the chain and delete recent entries the way the purge does", async () => {
    await appendTestEntry(t.db, 2);
    await seal(t.db);
    const [head] = await t.db.sql<{
      seq: number;
      mac: string;
    }>`select seq, mac from public.audit_seals order by seq desc limit 1`;
    expect(
      await refused(
        t.db,
        (tx) =>
          tx`insert into public.audit_chain_anchor (id, seq, mac) values (true, ${head.seq}, ${head.mac})`,
      ),
    ).toBe(true);
    expect(
      await refused(t.db, async (tx) => {
        await tx`select set_config('booking_handoff.audit_purge', 'on', true)`;
        await tx`delete from public.audit_log where occurred_at > now() - interval '1 hour'`;
      }),
    ).toBe(true);
    expect(await refused(t.db, (tx) => tx`update public.retention_settings set audit_days = 30`)).toBe(true);
    // The purge itself is open to the app, but decides its cut-off alone: nothing recent goes.
    const [{ result }] = await t.db.sql<{
      result: { removed: number };
    }>`select public.purge_expired_audit_entries() as result`;
    expect(result.removed).toBe(0);
    expect(await verify(t.db)).toMatchObject({ intact: true });
  });

  it("cannot name the times and transactions the purge and the sealer rely on", async () => {
    expect(
      await refused(
        t.db,
        (tx) =>
          tx`insert into public.audit_log (actor_type, actor_id, action, occurred_at) values ('system', 'x', 'backfill.run', now() - interval '2 years')`,
      ),
    ).toBe(true);
    expect(
      await refused(
        t.db,
        (tx) =>
          tx`insert into public.audit_log (actor_type, actor_id, action, xact_id) values ('system', 'x', 'backfill.run', '1')`,
      ),
    ).toBe(true);
    expect(
      await refused(
        t.db,
        (
          tx,
        ) => tx`insert into public.audit_checkpoints (head_seq, head_mac, signed_at, key_id, mac, created_at)
        values (1, 'x', now(), 'k', 'm', now() - interval '2 years')`,
      ),
    ).toBe(true);
    expect(
      await refused(
        t.db,
        (tx) => tx`insert into public.audit_seals (seq, entry_id, mac, key_id, horizon, sealed_at)
        values (999999, 1, 'x', 'k', '0', now() - interval '2 years')`,
      ),
    ).toBe(true);
  });

  it("a seal it forges for an entry is caught at that entry", async () => {
    await appendTestEntry(t.db, 3);
    const [entry] = await t.db.sql<{ id: number }>`select id from public.audit_log order by id desc limit 1`;
    const [head] = await t.db.sql<{
      seq: number;
    }>`select coalesce(max(seq), 0)::int as seq from public.audit_seals`;
    await t.db.sql`select public.append_audit_seals(${head.seq + 1}, ${[entry.id]}::bigint[],
      ${["0".repeat(64)]}::text[], ${TEST_CHAIN_KEYS.signing.id}, '0'::xid8)`;
    expect(await verify(t.db)).toMatchObject({
      intact: false,
      brokenSeq: head.seq + 1,
      entryId: String(entry.id),
    });
  });

  it("has no DDL and no trigger control", async () => {
    expect(
      await refused(
        t.db,
        (tx) => tx`alter table public.audit_log disable trigger audit_log_no_update_delete`,
      ),
    ).toBe(true);
    expect(await refused(t.db, (tx) => tx`drop trigger audit_log_no_update_delete on public.audit_log`)).toBe(
      true,
    );
    expect(
      await refused(t.db, (tx) => tx`create function public.evil() returns int language sql as 'select 1'`),
    ).toBe(true);
    expect(await refused(t.db, (tx) => tx`create table public.evil (x int)`)).toBe(true);
    expect(await refused(t.db, (tx) => tx`alter table public.leads add column evil int`)).toBe(true);
    expect(
      await refused(
        t.db,
        (tx) =>
          tx`create or replace function public.audit_log_refuse_change() returns trigger language plpgsql as 'begin return old; end'`,
      ),
    ).toBe(true);
  });
});

describe(`Supabase's browser roles (${process.env.TEST_DB})`, () => {
  it("with Supabase's default grants in place, anon and authenticated can read nothing and execute nothing", async () => {
    const empty = await openEmptyDatabase();
    try {
      // What Supabase's own init does for its roles before any migration of ours runs.
      const [owner] = await empty.db.sql<{ name: string }>`select current_user as name`;
      await empty.admin.transaction(async (_tx, exec) => {
        await exec(`
          do $$ begin
            if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin noinherit; end if;
            if not exists (select 1 from pg_roles where rolname = 'authenticated') then create role authenticated nologin noinherit; end if;
          end $$;
          grant usage on schema public to anon, authenticated;
          alter default privileges for role ${owner.name} in schema public grant all on tables to anon, authenticated;
          alter default privileges for role ${owner.name} in schema public grant all on functions to anon, authenticated;
          alter default privileges for role ${owner.name} in schema public grant all on sequences to anon, authenticated;`);
      });
      await migrate(empty.db);
      const tables = await empty.admin.sql<{ name: string }>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'v')`;
      const functions = await empty.admin.sql<{ signature: string }>`
        select p.oid::regprocedure::text as signature from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`;
      expect(tables.length).toBeGreaterThan(15);
      expect(functions.length).toBeGreaterThan(12);
      for (const role of ["anon", "authenticated"]) {
        const [grants] = await empty.admin.sql<{ tables: number; functions: number }>`
          select
            (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and c.relkind in ('r', 'v', 'S')
                and (has_table_privilege(${role}, c.oid, 'select, insert, update, delete, truncate, references, trigger'))) as tables,
            (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
              where n.nspname = 'public' and has_function_privilege(${role}, p.oid, 'execute')
                and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')) as functions`;
        expect(grants).toEqual({ tables: 0, functions: 0 });
      }
      // And PUBLIC (every role there is) executes none of our functions either.
      const [open] = await empty.admin.sql<{ n: number }>`
        select count(*)::int as n from pg_proc p join pg_namespace n on n.oid = p.pronamespace,
          lateral aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        where n.nspname = 'public' and a.grantee = 0 and a.privilege_type = 'EXECUTE'
          and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`;
      expect(open.n).toBe(0);
      const unpinned = await empty.admin.sql<{ name: string }>`
        select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
          and not coalesce(p.proconfig, '{}') && array['search_path=""', 'search_path=']`;
      expect(unpinned).toEqual([]);
    } finally {
      await empty.drop();
    }
  });
});
