import { createPostgresDatabase } from "@/lib/db/postgres";
import { migrate } from "@/lib/db/migrate";
import { TEMPLATE_DATABASE, adminConnection, databaseUrl } from "./postgres-template";

/** Builds the migrated template database once per run; test files clone it. */
export default async function setup() {
  const admin = adminConnection();
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DATABASE}`);
  } catch (error) {
    throw new Error(
      `The PostgreSQL tests need a server at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test): ${String(error)}`,
    );
  } finally {
    await admin.end();
  }
  const template = createPostgresDatabase(databaseUrl(TEMPLATE_DATABASE), { maxConnections: 1 });
  try {
    await migrate(template);
  } finally {
    await template.close();
  }
}
