import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migrate } from "@/lib/db/migrate";
import { createPostgresDatabase } from "@/lib/db/postgres";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const TEMPLATE_DATABASE = "booking_handoff_test_template";

export function databaseUrl(name: string, base = TEST_DATABASE_URL): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export function adminConnection() {
  return postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
}

/** Drops `name` if it exists and creates it again with every migration applied. */
export async function recreateMigratedDatabase(name: string): Promise<void> {
  const admin = adminConnection();
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    throw new Error(`The PostgreSQL tests need a server at TEST_DATABASE_URL (${TEST_DATABASE_URL}): ${String(error)}`);
  } finally {
    await admin.end();
  }
  const db = createPostgresDatabase(databaseUrl(name), { maxConnections: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createDatabaseFromTemplate(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `booking_handoff_test_${randomBytes(6).toString("hex")}`;
  const admin = adminConnection();
  try {
    await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    drop: async () => {
      const cleanup = adminConnection();
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
