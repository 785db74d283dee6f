import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migrate } from "@/lib/db/migrate";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { APP_ROLE } from "@/lib/db/roles";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const TEMPLATE_DATABASE = "booking_handoff_test_template";

/**
 * The tests run as a deployment does: the schema belongs to a non-superuser owner (as `postgres` on Supabase)
 * that runs the migrations, and the app connects as a login that is only a member of booking_handoff_app.
 */
export const OWNER_LOGIN = "booking_handoff_test_owner";
export const APP_LOGIN = "booking_handoff_test_server";

export function databaseUrl(name: string, user: string = APP_LOGIN, base = TEST_DATABASE_URL): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  url.username = user;
  url.password = "";
  return url.toString();
}

export const ownerDatabaseUrl = (name: string) => databaseUrl(name, OWNER_LOGIN);

export function adminConnection() {
  return postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
}

/**
 * The owner and app logins, once per cluster (roles are cluster-wide; the group role comes with the first
 * migration).
 */
async function ensureLogins(admin: postgres.Sql, phase: "owner" | "app"): Promise<void> {
  // Serialised: several test runs may start at once.
  await admin.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('booking-handoff test logins'))`;
    if (phase === "owner") {
      const [owner] = await tx`select 1 from pg_roles where rolname = ${OWNER_LOGIN}`;
      if (!owner) await tx.unsafe(`create role ${OWNER_LOGIN} login createrole`);
      return;
    }
    const [app] = await tx`select 1 from pg_roles where rolname = ${APP_LOGIN}`;
    if (!app) await tx.unsafe(`create role ${APP_LOGIN} login in role ${APP_ROLE}`);
  });
}

/** Drops `name` if it exists and creates it again, owned by the owner login, with every migration applied. */
export async function recreateMigratedDatabase(name: string): Promise<void> {
  const admin = adminConnection();
  try {
    await ensureLogins(admin, "owner");
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name} owner ${OWNER_LOGIN}`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `The PostgreSQL tests need a server at TEST_DATABASE_URL (${TEST_DATABASE_URL}): ${String(error)}`,
    );
  }
  const db = createPostgresDatabase(ownerDatabaseUrl(name), { maxConnections: 1 });
  try {
    await migrate(db);
    await ensureLogins(admin, "app");
  } finally {
    await db.close();
    await admin.end();
  }
}

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createDatabaseFromTemplate(): Promise<{
  name: string;
  url: string;
  ownerUrl: string;
  drop: () => Promise<void>;
}> {
  const name = `booking_handoff_test_${randomBytes(6).toString("hex")}`;
  const admin = adminConnection();
  try {
    await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE} owner ${OWNER_LOGIN}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    ownerUrl: ownerDatabaseUrl(name),
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
