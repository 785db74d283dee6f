/**
 * The server the browser tests run against: the production build (`next start`) on a fresh, migrated
 * PostgreSQL database, so the tests can read what the app wrote. Run by Playwright's webServer.
 */
import { spawn } from "node:child_process";
import { recreateMigratedDatabase } from "../tests/support/postgres-template";
import { E2E_DATABASE, E2E_ENV, E2E_PORT } from "./settings";

async function main() {
  await recreateMigratedDatabase(E2E_DATABASE);
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
