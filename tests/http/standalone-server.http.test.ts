import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmod, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBookingCreated } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import { freePort } from "../support/next-server";
import { createDatabaseFromTemplate } from "../support/postgres-template";
import { TEST_CHAIN_KEY } from "../support/audit-chain-harness";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET, createTestLead } from "../support/webhook-harness";
import { createPostgresDatabase } from "@/lib/db/postgres";
import type { Database } from "@/lib/db/database";

/**
 * Issue #26: what the Dockerfile ships, run as it runs there: the assembled standalone folder, read-only, as a
 * user who owns none of it (nobody, when the tests run as root), started without npm or TypeScript.
 */
const ROOT = path.join(import.meta.dirname, "..", "..");
const NOBODY = 65534;
let folder: string;
let db: Database;
let drop: () => Promise<void>;
let databaseUrl: string;
let ownerUrl: string;
const children: ChildProcess[] = [];

function run(command: string[], env: Record<string, string>) {
  const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const child = spawn(process.execPath, command, {
    cwd: folder,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...asNobody,
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output: () => output, exited };
}

async function serving(url: string, exited: Promise<number | null>, output: () => string) {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let attempt = 0; attempt < 150; attempt++) {
    if (gone) throw new Error(`the server exited:\n${output()}`);
    try {
      await fetch(`${url}/api/health/live`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`the server did not answer:\n${output()}`);
}

const productionEnv = () => ({
  DATABASE_URL: databaseUrl,
  CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
  NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
  AUDIT_CHAIN_KEY: TEST_CHAIN_KEY,
});

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "assemble-standalone.mjs")], { cwd: ROOT });
  folder = await mkdtemp(path.join(tmpdir(), "standalone-"));
  // Symlinks as they are (relative): resolved, they would point back into the repository.
  await cp(path.join(ROOT, ".next", "standalone"), folder, { recursive: true, verbatimSymlinks: true });
  execFileSync("chmod", ["-R", "a+rX,a-w", folder]);
  const created = await createDatabaseFromTemplate();
  ({ drop } = created);
  databaseUrl = created.url;
  ownerUrl = created.ownerUrl;
  db = createPostgresDatabase(created.url, { maxConnections: 1 });
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await db?.close();
  await drop?.();
  if (folder) {
    await chmod(folder, 0o755);
    execFileSync("chmod", ["-R", "u+w", folder]);
    await rm(folder, { recursive: true, force: true });
  }
});

describe("the standalone server, read-only, as an unprivileged user", () => {
  it("refuses to start without its secrets, naming them", async () => {
    const started = run(["server.js"], { PORT: String(await freePort()), HOSTNAME: "127.0.0.1" });
    expect(await started.exited).toBe(1);
    for (const name of [
      "CAL_WEBHOOK_SECRET",
      "SUBMISSION_TOKEN_SECRET",
      "NEXT_PUBLIC_CAL_LINK",
      "DATABASE_URL",
    ])
      expect(started.output()).toContain(name);
  });

  for (const entry of ["server.js", "server.mjs"]) {
    it(`node ${entry}: pages with their static files, readiness, and a signed booking applied`, async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const args = entry === "server.js" ? [entry] : [entry, "-p", String(port), "-H", "127.0.0.1"];
      const started = run(args, { ...productionEnv(), PORT: String(port), HOSTNAME: "127.0.0.1" });
      await serving(url, started.exited, started.output);
      const home = await fetch(url);
      expect(home.status, started.output()).toBe(200);
      const asset = /\/_next\/static\/[^"]+\.(?:js|css)/.exec(await home.text())?.[0];
      expect(asset).toBeDefined();
      expect((await fetch(`${url}${asset}`)).status).toBe(200);
      expect(await (await fetch(`${url}/api/health/ready`)).json()).toEqual({ status: "ready" });

      const lead = await createTestLead(db);
      const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.token }));
      const delivered = await fetch(`${url}/api/webhooks/cal`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
        },
      });
      expect(await delivered.json()).toEqual({ status: "applied" });
      started.child.kill("SIGTERM");
      await started.exited;
    });
  }

  it("runs the migrations and the account script without TypeScript tooling", async () => {
    const migrated = run(["scripts/db-migrate.cjs"], {
      DATABASE_MIGRATION_URL: ownerUrl,
      DATABASE_URL: databaseUrl,
    });
    expect(await migrated.exited, migrated.output()).toBe(0);
    expect(migrated.output()).toContain("is up to date");
    const listed = run(["scripts/admin-user.cjs", "list"], { DATABASE_URL: databaseUrl });
    expect(await listed.exited, listed.output()).toBe(0);
  });
});
