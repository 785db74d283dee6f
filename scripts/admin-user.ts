/**
 * Staff accounts for /admin, on DATABASE_URL or the embedded PGlite folder (stop the app first: only one
 * process may own that folder).
 *
 *   npm run admin:user -- create --email dana@example.com --role staff|manager
 *   npm run admin:user -- disable --email dana@example.com
 *   npm run admin:user -- list
 *
 * `create` asks for the password on a terminal and reads the first line of stdin otherwise, so scripts can
 * pipe it (`printf '%s\n' "$PASSWORD" | npm run admin:user -- create …`). Running it for an existing email
 * sets the new role and password and enables the account again. With Supabase Auth configured no password
 * is taken: the account signs in with its Supabase user of the same email.
 */
import { parseArgs } from "node:util";
import { loadEnvConfig } from "@next/env";
import { z } from "zod";
import { hashPassword } from "../lib/auth/password-hash";
import { MIN_PASSWORD_LENGTH } from "../lib/auth/staff";
import { StaffEmailError, isStaffEmail, normalizeStaffEmail } from "../lib/auth/staff-email";
import { disableStaffUser, listStaffUsers, upsertStaffUser } from "../lib/db/queries/staff-users";
import { parseServerEnv, supabaseSettings } from "../lib/env";
import { openScriptDatabase } from "./open-script-database";
import { readPassword } from "./read-password";

loadEnvConfig(process.cwd());

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: "string" }, role: { type: "string" } },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const email = () => {
  const given = values.email ?? "";
  if (!isStaffEmail(given)) fail(new StaffEmailError(given).message);
  const parsed = z.email().safeParse(normalizeStaffEmail(given));
  return parsed.success ? parsed.data : fail("--email must be an email address.");
};

async function main() {
  const env = parseServerEnv();
  const command = positionals[0];
  if (!["create", "disable", "list"].includes(command ?? ""))
    fail("Usage: admin:user -- create|disable|list [--email …] [--role staff|manager]");

  const input =
    command === "create"
      ? {
          email: email(),
          role:
            z.enum(["staff", "manager"]).safeParse(values.role).data ??
            fail("--role must be staff or manager."),
          password: supabaseSettings(env) ? null : await readPassword(`Password for ${values.email}: `),
        }
      : null;
  if (input?.password !== null && input !== null && input.password.length < MIN_PASSWORD_LENGTH) {
    fail(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const disabledEmail = command === "disable" ? email() : null;

  const { db, where } = await openScriptDatabase(env);
  try {
    if (input) {
      const passwordHash = input.password === null ? null : await hashPassword(input.password);
      const { user, created } = await upsertStaffUser(db.sql, {
        email: input.email,
        role: input.role,
        passwordHash,
      });
      console.log(`${created ? "Created" : "Updated"} ${user.role} ${user.email} in ${where}.`);
    } else if (disabledEmail) {
      const found = await disableStaffUser(db.sql, disabledEmail);
      if (!found) fail(`No account for ${disabledEmail} in ${where}.`);
      console.log(`Disabled ${disabledEmail} and ended its sessions.`);
    } else {
      const users = await listStaffUsers(db.sql);
      if (users.length === 0) console.log(`No staff accounts in ${where}.`);
      for (const user of users)
        console.log(`${user.email}\t${user.role}\t${user.disabled_at ? "disabled" : "active"}`);
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`admin:user failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
