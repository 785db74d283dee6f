import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import type { Database } from "@/lib/db/database";
import { PGLITE_EXTENSIONS, pgliteDatabase } from "@/lib/db/pglite";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { adminConnection, databaseUrl } from "./postgres-template";
import { testBackend } from "./test-database";

/** A database with nothing in it yet (no migrations), on the backend TEST_DB names; `drop` removes it. */
export async function openEmptyDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (testBackend() === "pglite") {
    const db = pgliteDatabase(await PGlite.create({ extensions: PGLITE_EXTENSIONS }));
    return { db, drop: () => db.close() };
  }
  const name = `booking_handoff_empty_${randomBytes(6).toString("hex")}`;
  const admin = adminConnection();
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const db = createPostgresDatabase(databaseUrl(name), { maxConnections: 2 });
  return {
    db,
    drop: async () => {
      await db.close();
      const cleanup = adminConnection();
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
