import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import type { Database } from "@/lib/db/database";
import { PGLITE_EXTENSIONS, pgliteDatabase } from "@/lib/db/pglite";
import { createPostgresDatabase } from "@/lib/db/postgres";
import {
  OWNER_LOGIN,
  TEST_DATABASE_URL,
  adminConnection,
  databaseUrl,
  ownerDatabaseUrl,
} from "./postgres-template";
import { testBackend } from "./test-database";

/**
 * A database with nothing in it yet (no migrations), on the backend TEST_DB names: `db` as its owner, `admin`
 * as the server's superuser (for what only a platform does, such as creating Supabase's roles).
 */
export async function openEmptyDatabase(): Promise<{
  db: Database;
  admin: Database;
  drop: () => Promise<void>;
}> {
  if (testBackend() === "pglite") {
    const db = pgliteDatabase(await PGlite.create({ extensions: PGLITE_EXTENSIONS }));
    return { db, admin: db, drop: () => db.close() };
  }
  const name = `booking_handoff_empty_${randomBytes(6).toString("hex")}`;
  const admin = adminConnection();
  try {
    await admin.unsafe(`create database ${name} owner ${OWNER_LOGIN}`);
  } finally {
    await admin.end();
  }
  const db = createPostgresDatabase(ownerDatabaseUrl(name), { maxConnections: 2 });
  const superuser = createPostgresDatabase(databaseUrl(name, new URL(TEST_DATABASE_URL).username), {
    maxConnections: 1,
  });
  return {
    db,
    admin: superuser,
    drop: async () => {
      await db.close();
      await superuser.close();
      const cleanup = adminConnection();
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
