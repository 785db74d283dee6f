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
});
