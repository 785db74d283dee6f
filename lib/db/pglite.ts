import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { Database, Sql } from "./database";
import { lockPgliteFolder } from "./pglite-folder-lock";

type Templated = Pick<PGlite, "sql">;

const wrap = (handle: Templated): Sql =>
  (async (strings: TemplateStringsArray, ...values: unknown[]) => (await handle.sql(strings, ...values)).rows) as Sql;

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
    close: () => client.close(),
  };
}

/** The extensions the migrations create (PGlite ships them as JavaScript modules, loaded up front). */
export const PGLITE_EXTENSIONS = { pg_trgm };

/** The embedded database kept in `dataDir`. PGlite has no cross-process lock: one process per folder. */
export async function createPgliteDatabase(dataDir: string): Promise<Database> {
  const folder = path.resolve(dataDir);
  await mkdir(path.dirname(folder), { recursive: true });
  const release = lockPgliteFolder(folder);
  try {
    const db = pgliteDatabase(await PGlite.create({ dataDir: folder, extensions: PGLITE_EXTENSIONS }));
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
