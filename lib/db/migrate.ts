import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Database, Sql } from "./database";
import { type AppliedMigration, migrationChecksum, migrationHistoryProblems } from "./migration-history";

export const MIGRATIONS_DIR = path.join(process.cwd(), "supabase", "migrations");

const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  /** sha256 of the file's bytes, recorded when it is applied. */
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(/* turbopackIgnore: true */ dir))
    .filter((file) => file.endsWith(".sql"))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match)
        throw new Error(`Migration file name must look like <14-digit timestamp>_<name>.sql: ${file}`);
      const sql = await readFile(path.join(/* turbopackIgnore: true */ dir, file), "utf8");
      return { version: match[1], name: match[2], sql, checksum: migrationChecksum(sql) };
    }),
  );
}

export class MigrationHistoryError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Refusing to migrate: the migrations this database ran differ from the repository's.\n  ${problems.join("\n  ")}\n` +
        "An applied migration is history: never edit it. Restore the file from git and put the change in a new migration.",
    );
  }
}

async function ensureBookkeeping(db: Database): Promise<void> {
  await db.transaction(async (_tx, exec) => {
    await exec(`
      -- The table the Supabase CLI keeps, in the CLI's own shape, so \`supabase db push\` and this runner agree
      -- on what ran (a table an older runner made with the version alone gets the CLI's columns).
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text primary key);
      alter table supabase_migrations.schema_migrations add column if not exists statements text[];
      alter table supabase_migrations.schema_migrations add column if not exists name text;
      -- Ours: the checksum of each file this runner applied, in a table of our own.
      create schema if not exists booking_handoff;
      create table if not exists booking_handoff.migration_checksums (
        version text primary key,
        checksum text not null,
        recorded_at timestamptz not null default now()
      );
      -- Earlier runners added the checksum to the CLI's table: moved here, and the CLI's table given back its shape.
      do $$
      begin
        if exists (select 1 from information_schema.columns where table_schema = 'supabase_migrations'
                   and table_name = 'schema_migrations' and column_name = 'checksum') then
          insert into booking_handoff.migration_checksums (version, checksum)
          select version, checksum from supabase_migrations.schema_migrations where checksum is not null
          on conflict (version) do nothing;
          alter table supabase_migrations.schema_migrations drop column checksum;
        end if;
      end;
      $$;
    `);
  });
}

function readApplied(sql: Sql): Promise<AppliedMigration[]> {
  return sql<AppliedMigration>`
    select m.version, c.checksum, m.statements
    from supabase_migrations.schema_migrations m left join booking_handoff.migration_checksums c using (version)
    order by m.version`;
}

/**
 * Applies pending migrations in order, each in its own transaction together with its bookkeeping row and
 * checksum. Before anything runs, every migration the database already ran is compared with the repository's
 * file by checksum; a difference stops the run with a MigrationHistoryError. An advisory lock keeps two
 * runners from applying the same file.
 */
export async function migrate(db: Database, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  await ensureBookkeeping(db);
  const problems = migrationHistoryProblems(await readApplied(db.sql), all);
  if (problems.length > 0) throw new MigrationHistoryError(problems);

  const applied: string[] = [];
  for (const migration of all) {
    const ran = await db.transaction(async (tx, exec) => {
      await tx`select pg_advisory_xact_lock(hashtextextended('booking-handoff:migrate', 0))`;
      const done =
        await tx`select 1 from supabase_migrations.schema_migrations where version = ${migration.version}`;
      if (done.length > 0) return false;
      await exec(migration.sql);
      await tx`
        insert into supabase_migrations.schema_migrations (version, name, statements)
        values (${migration.version}, ${migration.name}, ${[migration.sql]}::text[])`;
      await tx`
        insert into booking_handoff.migration_checksums (version, checksum)
        values (${migration.version}, ${migration.checksum})`;
      return true;
    });
    if (ran) applied.push(`${migration.version}_${migration.name}`);
  }
  return applied;
}
