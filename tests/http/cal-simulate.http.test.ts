import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startNextServer } from "../support/next-server";
import { type RelayedDatabase, openRelayedDatabase } from "../support/relayed-database";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET } from "../support/webhook-harness";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SCRIPT = path.join(ROOT, "scripts", "cal-simulate.ts");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

let server: RunningServer;
let relayed: RelayedDatabase;
// Its own working folder: the script keeps the last delivery under `.data` there.
const workdir = mkdtempSync(path.join(tmpdir(), "cal-simulate-"));

beforeAll(async () => {
  relayed = await openRelayedDatabase(2);
  server = await startNextServer({
    DATABASE_URL: relayed.relayedUrl,
    CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
    NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
  });
});

afterAll(async () => {
  await server?.stop();
  await relayed?.close();
  rmSync(workdir, { recursive: true, force: true });
});

async function simulate(...args: string[]): Promise<{ code: number; out: string }> {
  return simulateIn(workdir, ...args);
}

async function simulateIn(cwd: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const run = promisify(execFile)(
    TSX,
    [SCRIPT, ...args, "--url", server.url, "--secret", TEST_WEBHOOK_SECRET],
    { cwd },
  );
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      out: error.stdout + error.stderr,
    }),
  );
}

describe("npm run cal:simulate, as a newcomer uses it against next start", () => {
  it("--help lists every trigger and option and exits 0", async () => {
    const { code, out } = await simulate("--help");
    expect(code).toBe(0);
    for (const word of [
      "lead",
      "BOOKING_CREATED",
      "BOOKING_RESCHEDULED",
      "BOOKING_CANCELLED",
      "BOOKING_PAID",
      "PING",
      "resend",
      "--uid",
      "--submission",
      "--url",
      "--secret",
    ]) {
      expect(out).toContain(word);
    }
  });

  it("resend before anything was sent says so and exits 2", async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), "cal-simulate-fresh-"));
    const { code, out } = await simulateIn(fresh, "resend");
    rmSync(fresh, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(out).toContain("Nothing to resend yet");
  });

  it("a lead, its booking, then the same delivery again byte for byte: applied once, then a duplicate", async () => {
    const lead = await simulate("lead", "--name", "Newcomer Test", "--email", "newcomer@client.example");
    const token = /--submission '([^']+)'/.exec(lead.out)?.[1];
    expect(token, lead.out).toBeTruthy();
    const booked = await simulate("BOOKING_CREATED", "--submission", token as string);
    expect(booked.out).toMatch(/→ 200 \{"status":"applied"\}/);
    const again = await simulate("resend");
    expect(again.out).toMatch(/→ 200 \{"status":"duplicate"\}/);
    const [row] = await relayed.db.sql<{ stage: string; deliveries: number }>`
      select l.stage, (select sum(delivery_count)::int from public.webhook_events e where e.lead_id = l.id) as deliveries
      from public.leads l where l.email = 'newcomer@client.example'`;
    expect(row).toEqual({ stage: "call_booked", deliveries: 2 });
  });

  it("an unknown trigger names itself and exits 2, sending nothing", async () => {
    const { code, out } = await simulate("BOOKING_EXPLODED");
    expect(code).toBe(2);
    expect(out).toContain("Unknown trigger BOOKING_EXPLODED");
  });
});
