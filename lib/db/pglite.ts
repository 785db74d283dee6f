import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Database, Sql } from "./database";

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

/** The embedded database kept in `dataDir`. PGlite has no cross-process lock: one process per folder. */
export async function createPgliteDatabase(dataDir: string): Promise<Database> {
  await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  return pgliteDatabase(await PGlite.create({ dataDir }));
}
