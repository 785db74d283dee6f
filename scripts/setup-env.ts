/**
 * Creates .env.local with freshly generated local secrets and Cal.com's demo event, so the app runs on a new
 * machine with nothing to configure. Keeps every value that is already set, in the file or in the
 * environment; prints names only.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const FILE = ".env.local";
const GENERATED = {
  CAL_WEBHOOK_SECRET: () => `whsec_${randomBytes(24).toString("base64url")}`,
  SUBMISSION_TOKEN_SECRET: () => randomBytes(32).toString("base64url"),
  AUDIT_CHAIN_KEY: () => randomBytes(32).toString("base64url"),
};

const existing = existsSync(FILE) ? readFileSync(FILE, "utf8") : "";
if (!existsSync(FILE))
  writeFileSync(FILE, "# Local settings for Booking Handoff (not committed). See the README.\n");

const added: string[] = [];
if (!/^\s*NEXT_PUBLIC_CAL_LINK\s*=\s*\S/m.test(existing) && !process.env.NEXT_PUBLIC_CAL_LINK) {
  appendFileSync(
    FILE,
    "# Cal.com's public demo event: replace it with your own event link, such as team/intro-call.\n",
  );
  appendFileSync(FILE, "NEXT_PUBLIC_CAL_LINK=rick/get-rick-rolled\n");
  added.push("NEXT_PUBLIC_CAL_LINK (a demo link)");
}
const databaseChosen = ["DATABASE_URL", "PGLITE_DATA_DIR"].some(
  (name) => new RegExp(`^\\s*${name}\\s*=\\s*\\S`, "m").test(existing) || process.env[name],
);
if (!databaseChosen) {
  // Production starts only on a database it was given: this names the embedded one on purpose.
  appendFileSync(
    FILE,
    "# The embedded database (PGlite); set DATABASE_URL instead for PostgreSQL or Supabase.\n",
  );
  appendFileSync(FILE, "PGLITE_DATA_DIR=.data/pglite\n");
  added.push("PGLITE_DATA_DIR (the embedded database)");
}
for (const [name, generate] of Object.entries(GENERATED)) {
  const inFile = new RegExp(`^\\s*${name}\\s*=\\s*\\S`, "m").test(existing);
  if (inFile || process.env[name]) continue;
  appendFileSync(FILE, `${name}=${generate()}\n`);
  added.push(name);
}
console.log(added.length > 0 ? `Generated ${added.join(", ")} in ${FILE}.` : `${FILE}: secrets already set.`);
