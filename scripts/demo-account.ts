/**
 * On the embedded database only: when no staff account exists yet, creates a demo manager with a random
 * password and prints it once, so `npm run demo` opens a console someone can sign in to. Runs before the
 * app starts (one process per PGlite folder). Reset it with `npm run admin:user -- create …`.
 */
import { randomBytes } from "node:crypto";
import { loadEnvConfig } from "@next/env";
import { hashPassword } from "../lib/auth/password-hash";
import { listStaffUsers, upsertStaffUser } from "../lib/db/queries/staff-users";
import { parseServerEnv, supabaseSettings } from "../lib/env";
import { openScriptDatabase } from "./open-script-database";

loadEnvConfig(process.cwd());

const DEMO_EMAIL = "demo-manager@booking-handoff.local";

async function main() {
  const env = parseServerEnv();
  if (env.DATABASE_URL || supabaseSettings(env)) return;
  const { db, where } = await openScriptDatabase(env);
  try {
    if ((await listStaffUsers(db.sql)).length > 0) return;
    const password = randomBytes(12).toString("base64url");
    await upsertStaffUser(db.sql, {
      email: DEMO_EMAIL,
      role: "manager",
      passwordHash: await hashPassword(password),
    });
    console.log(`Created a demo manager in ${where}. Sign in at /admin/sign-in with:`);
    console.log(`  email:    ${DEMO_EMAIL}`);
    console.log(`  password: ${password}`);
    console.log(
      "It is shown only now. Make your own with: npm run admin:user -- create --email you@example.com --role manager",
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`demo account: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
