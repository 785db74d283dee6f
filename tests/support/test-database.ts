import { afterAll, beforeAll } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { type Database, type Sql, sqlHandle } from "@/lib/db/database";
import { migrate } from "@/lib/db/migrate";
import { PGLITE_EXTENSIONS, pgliteDatabase, restrictToRole } from "@/lib/db/pglite";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { APP_ROLE } from "@/lib/db/roles";
import { createDatabaseFromTemplate } from "./postgres-template";

export type TestBackend = "pglite" | "postgres";

export function testBackend(): TestBackend {
  return process.env.TEST_DB === "postgres" ? "postgres" : "pglite";
}

export interface TestDatabase {
  /** As the app: the server's restricted role. What every test exercises. */
  db: Database;
  /**
   * As the schema's owner: for setting up what only the owner can, and for attacks "behind the app's back".
   */
  owner: Database;
  backend: TestBackend;
  close: () => Promise<void>;
}

let migratedImage: Promise<Blob> | undefined;

/** A migrated PGlite image, made once per worker; loading it is faster than migrating each time. */
function migratedPgliteImage(): Promise<Blob> {
  migratedImage ??= (async () => {
    const client = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
    await migrate(pgliteDatabase(client));
    const image = (await client.dumpDataDir("none")) as Blob;
    await client.close();
    return image;
  })();
  return migratedImage;
}

/**
 * The owner's view of a PGlite that runs as the app's role: each query in a transaction that resets the role.
 */
function pgliteOwner(client: PGlite): Database {
  const asOwner = <T>(work: (tx: Sql, exec: (script: string) => Promise<void>) => Promise<T>) =>
    client.transaction(async (tx) => {
      await tx.exec("set local role none");
      const sql = sqlHandle(
        async <T>(strings: TemplateStringsArray, ...values: unknown[]) =>
          (await tx.sql<T>(strings, ...values)).rows,
        async <T>(text: string, values: readonly unknown[]) => (await tx.query<T>(text, [...values])).rows,
      );
      return work(sql, async (script) => {
        await tx.exec(script);
      });
    });
  return {
    kind: "pglite",
    sql: sqlHandle(
      (strings, ...values) => asOwner((sql) => sql(strings, ...values)),
      (text, values) => asOwner((sql) => sql.query(text, values)),
    ),
    transaction: asOwner,
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, () => onNotify());
      return () => unlisten();
    },
    close: async () => {},
  };
}

/** A real, migrated, empty database for one test file, on the backend TEST_DB names. */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (testBackend() === "postgres") {
    const created = await createDatabaseFromTemplate();
    const db = createPostgresDatabase(created.url, { maxConnections: 10 });
    const owner = createPostgresDatabase(created.ownerUrl, { maxConnections: 2 });
    return {
      db,
      owner,
      backend: "postgres",
      close: async () => {
        await db.close();
        await owner.close();
        await created.drop();
      },
    };
  }
  const client = await PGlite.create({
    loadDataDir: await migratedPgliteImage(),
    extensions: PGLITE_EXTENSIONS,
  });
  await restrictToRole(client, APP_ROLE);
  const db = pgliteDatabase(client);
  return { db, owner: pgliteOwner(client), backend: "pglite", close: () => db.close() };
}

/** Opens a test database before the file's tests and closes it after; its handles are valid inside tests. */
export function databaseForThisFile(): { db: Database; owner: Database; backend: TestBackend } {
  const handle = {} as { db: Database; owner: Database; backend: TestBackend };
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    opened = await openTestDatabase();
    Object.assign(handle, { db: opened.db, owner: opened.owner, backend: opened.backend });
  });
  afterAll(() => opened?.close());
  return handle;
}
