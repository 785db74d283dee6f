/**
 * The server the browser tests run against: the production build (`npm start`, server.mjs) on a fresh,
 * migrated PostgreSQL database, so the tests can read what the app wrote. Run by Playwright's webServer.
 */
import { spawn } from "node:child_process";
import { hashPassword } from "../lib/auth/password-hash";
import { upsertStaffUser } from "../lib/db/queries/staff-users";
import { createPostgresDatabase } from "../lib/db/postgres";
import { recreateMigratedDatabase } from "../tests/support/postgres-template";
import { E2E_ACCOUNTS, E2E_DATABASE, E2E_ENV, E2E_PORT } from "./settings";

async function createAccounts() {
  const db = createPostgresDatabase(E2E_ENV.DATABASE_URL, { maxConnections: 1 });
  try {
    for (const account of Object.values(E2E_ACCOUNTS)) {
      await upsertStaffUser(db.sql, {
        email: account.email,
        role: account.role,
        passwordHash: await hashPassword(account.password),
      });
    }
  } finally {
    await db.close();
  }
}

async function main() {
  await recreateMigratedDatabase(E2E_DATABASE);
  await createAccounts();
  const server = spawn(process.execPath, ["server.mjs", "-p", String(E2E_PORT), "-H", "127.0.0.1"], {
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
