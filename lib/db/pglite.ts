import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type Database, type Sql, sqlHandle } from "./database";
import { lockPgliteFolder } from "./pglite-folder-lock";

type Queryable = Pick<PGlite, "sql" | "query">;

const wrap = (handle: Queryable): Sql =>
  sqlHandle(
    async <T>(strings: TemplateStringsArray, ...values: unknown[]) =>
      (await handle.sql<T>(strings, ...values)).rows,
    async <T>(text: string, values: readonly unknown[]) => (await handle.query<T>(text, [...values])).rows,
  );

export function pgliteDatabase(client: PGlite): Database {
  return {
    kind: "pglite",
    sql: wrap(client),
    transaction: (work) =>
      client.transaction((tx) =>
        work(wrap(tx), async (script) => {
          await tx.exec(script);
        }),
      ),
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, () => onNotify());
      return () => unlisten();
    },
    close: () => client.close(),
  };
}

/** The extensions the migrations create (PGlite ships them as JavaScript modules, loaded up front). */
export const PGLITE_EXTENSIONS = { pg_trgm };

export interface PgliteOptions {
  /** Runs first, as the folder's superuser (migrations, owner settings). */
  asOwner?: (db: Database) => Promise<void>;
  /** Then every query runs as this role, as the server does against PostgreSQL. */
  role?: string;
}

/**
 * Runs the rest of the session as `role`. PGlite's only session user is its superuser, so this is `SET ROLE`:
 * the app's own code gets exactly the role's rights; whoever can read the folder has everything anyway.
 */
export async function restrictToRole(client: PGlite, role: string): Promise<void> {
  await client.exec(`set role ${role.replace(/[^a-z_]/g, "")}`);
}

/** The embedded database kept in `dataDir`. PGlite has no cross-process lock: one process per folder. */
export async function createPgliteDatabase(dataDir: string, options: PgliteOptions = {}): Promise<Database> {
  const folder = path.resolve(dataDir);
  await mkdir(path.dirname(folder), { recursive: true });
  const release = lockPgliteFolder(folder);
  try {
    const client = await PGlite.create({ dataDir: folder, extensions: PGLITE_EXTENSIONS });
    const db = pgliteDatabase(client);
    await options.asOwner?.(db);
    if (options.role) await restrictToRole(client, options.role);
    return {
      ...db,
      close: async () => {
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
