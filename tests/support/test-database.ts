import { afterAll, beforeAll } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import type { Database } from "@/lib/db/database";
import { migrate } from "@/lib/db/migrate";
import { PGLITE_EXTENSIONS, pgliteDatabase } from "@/lib/db/pglite";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { createDatabaseFromTemplate } from "./postgres-template";

export type TestBackend = "pglite" | "postgres";

export function testBackend(): TestBackend {
  return process.env.TEST_DB === "postgres" ? "postgres" : "pglite";
}

export interface TestDatabase {
  db: Database;
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

/** A real, migrated, empty database for one test file, on the backend TEST_DB names. */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (testBackend() === "postgres") {
    const created = await createDatabaseFromTemplate();
    const db = createPostgresDatabase(created.url, { maxConnections: 10 });
    return {
      db,
      backend: "postgres",
      close: async () => {
        await db.close();
        await created.drop();
      },
    };
  }
  const db = pgliteDatabase(await PGlite.create({ loadDataDir: await migratedPgliteImage(), extensions: PGLITE_EXTENSIONS }));
  return { db, backend: "pglite", close: () => db.close() };
}

/** Opens a test database before the file's tests and closes it after; `handle.db` is valid inside tests. */
export function databaseForThisFile(): { db: Database; backend: TestBackend } {
  const handle = {} as { db: Database; backend: TestBackend };
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    opened = await openTestDatabase();
    Object.assign(handle, { db: opened.db, backend: opened.backend });
  });
  afterAll(() => opened?.close());
  return handle;
}
