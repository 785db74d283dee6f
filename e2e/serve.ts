/**
 * The server the browser tests run against: the production build (`next start`) on a fresh, migrated
 * PostgreSQL database, so the tests can read what the app wrote. Run by Playwright's webServer.
 */
import { spawn } from "node:child_process";
import postgres from "postgres";
import { migrate } from "../lib/db/migrate";
import { createPostgresDatabase } from "../lib/db/postgres";
import { E2E_DATABASE, E2E_ENV, E2E_PORT, e2eDatabaseUrl } from "./settings";

async function freshDatabase() {
  const admin = postgres(e2eDatabaseUrl("postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${E2E_DATABASE} with (force)`);
    await admin.unsafe(`create database ${E2E_DATABASE}`);
  } finally {
    await admin.end();
  }
  const db = createPostgresDatabase(e2eDatabaseUrl(E2E_DATABASE), { maxConnections: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}

async function main() {
  await freshDatabase();
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(E2E_PORT), "-H", "127.0.0.1"], {
    stdio: "inherit",
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...E2E_ENV },
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
