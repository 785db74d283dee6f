import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/database";
import { MigrationHistoryError, type Migration, migrate, readMigrations } from "@/lib/db/migrate";
import { migrationChecksum } from "@/lib/db/migration-history";
import { describeSchema } from "../support/describe-schema";
import { openEmptyDatabase } from "../support/empty-database";

/**
 * tests/fixtures/migration-history holds, for every commit of main that changed supabase/migrations, which
 * text of each file it had (by the first 12 hex digits of its sha256): today's file, or an earlier text kept
 * in that folder. A database migrated at any of those commits must upgrade to today's schema.
 */
const HISTORY_DIR = path.join(import.meta.dirname, "..", "fixtures", "migration-history");
const states: { commit: string; subject: string; files: Record<string, string> }[] = JSON.parse(
  readFileSync(path.join(HISTORY_DIR, "states.json"), "utf8"),
);

async function migrationsAt(state: (typeof states)[number]): Promise<Migration[]> {
  const today = new Map((await readMigrations()).map((m) => [`${m.version}_${m.name}`, m]));
  return Object.entries(state.files).map(([file, sha]) => {
    const current = today.get(file);
    if (current && current.checksum.startsWith(sha)) return current;
    const sql = readFileSync(path.join(HISTORY_DIR, `${file}.${sha}.sql`), "utf8");
    const [version, ...name] = file.split("_");
    return { version, name: name.join("_"), sql, checksum: migrationChecksum(sql) };
  });
}

/** Applies files the way the runner did before it recorded checksums: the text as its only statement. */
async function migrateAsBefore(db: Database, migrations: Migration[]): Promise<void> {
  await db.transaction(async (_tx, exec) => {
    await exec(`create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);`);
  });
  for (const m of migrations) {
    await db.transaction(async (tx, exec) => {
      await exec(m.sql);
      await tx`insert into supabase_migrations.schema_migrations (version, name, statements) values (${m.version}, ${m.name}, ${[m.sql]}::text[])`;
    });
  }
}

async function freshSchema(): Promise<string[]> {
  const empty = await openEmptyDatabase();
  try {
    await migrate(empty.db);
    return await describeSchema(empty.db.sql);
  } finally {
    await empty.drop();
  }
}

describe(`migrations are history (${process.env.TEST_DB})`, () => {
  let fresh: Promise<string[]> | undefined;
  const expected = () => (fresh ??= freshSchema());

  it.each(states.map((state) => [state.commit, state] as const))(
    "a database migrated at %s upgrades to today's schema",
    async (_commit, state) => {
      const old = await openEmptyDatabase();
      try {
        await migrateAsBefore(old.db, await migrationsAt(state));
        await migrate(old.db);
        expect(await describeSchema(old.db.sql)).toEqual(await expected());
        expect(await migrate(old.db)).toEqual([]);
      } finally {
        await old.drop();
      }
    },
  );

  it("refuses, naming the file, a database whose applied migration differs from the repository's", async () => {
    const db = await openEmptyDatabase();
    try {
      const migrations = await readMigrations();
      await migrate(db.db, migrations);
      const edited = migrations.map((m, i) =>
        i === 2
          ? { ...m, sql: `${m.sql}\n-- edited`, checksum: migrationChecksum(`${m.sql}\n-- edited`) }
          : m,
      );
      const attempt = migrate(db.db, edited);
      await expect(attempt).rejects.toBeInstanceOf(MigrationHistoryError);
      await expect(attempt).rejects.toThrow(
        new RegExp(`${migrations[2].version}_${migrations[2].name} ran with text`),
      );
      await expect(migrate(db.db, migrations.slice(0, 3))).rejects.toThrow(/there is no such file/);
    } finally {
      await db.drop();
    }
  });

  it("leaves the Supabase CLI's table as the CLI made it; our checksums live in a table of our own (#26)", async () => {
    const db = await openEmptyDatabase();
    const columns = () =>
      db.db.sql<{ name: string }>`
        select column_name as name from information_schema.columns
        where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' order by ordinal_position`;
    try {
      // What \`supabase db push\` leaves: its table, with its own columns.
      await db.db.transaction(async (_tx, exec) => {
        await exec(`create schema supabase_migrations;
          create table supabase_migrations.schema_migrations
            (version text primary key, statements text[], name text, created_by text, idempotency_key text);`);
      });
      const shape = await columns();
      await migrate(db.db);
      expect(await columns()).toEqual(shape);
      const [counts] = await db.db.sql<{ applied: number; checksums: number }>`
        select (select count(*)::int from supabase_migrations.schema_migrations) as applied,
          (select count(*)::int from booking_handoff.migration_checksums) as checksums`;
      expect(counts.checksums).toBe(counts.applied);
    } finally {
      await db.drop();
    }
  });

  it("moves the checksums an earlier runner kept in the CLI's table, and still refuses an edited file", async () => {
    const db = await openEmptyDatabase();
    try {
      const migrations = await readMigrations();
      await migrateAsBefore(db.db, migrations.slice(0, 3));
      // The runner before this one: a checksum column on the CLI's table.
      await db.db.transaction(async (tx) => {
        await tx`alter table supabase_migrations.schema_migrations add column checksum text`;
        for (const m of migrations.slice(0, 3))
          await tx`update supabase_migrations.schema_migrations set checksum = ${m.checksum} where version = ${m.version}`;
      });
      await migrate(db.db, migrations);
      const [column] = await db.db.sql`
        select 1 from information_schema.columns
        where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' and column_name = 'checksum'`;
      expect(column).toBeUndefined();
      const [moved] = await db.db.sql<{ checksum: string }>`
        select checksum from booking_handoff.migration_checksums where version = ${migrations[0].version}`;
      expect(moved.checksum).toBe(migrations[0].checksum);
      const edited = migrations.map((m, i) =>
        i === 1
          ? { ...m, sql: `${m.sql}\n-- edited`, checksum: migrationChecksum(`${m.sql}\n-- edited`) }
          : m,
      );
      await expect(migrate(db.db, edited)).rejects.toBeInstanceOf(MigrationHistoryError);
    } finally {
      await db.drop();
    }
  });
});
