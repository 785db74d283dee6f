import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startNextServer } from "../support/next-server";
import { type RelayedDatabase, openRelayedDatabase } from "../support/relayed-database";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET } from "../support/webhook-harness";

/**
 * Issue #26: "written" must mean written. Through a pooler, leads were answered `201 Created` with an id that
 * never reached the table. Here the connection is dropped as the transaction's COMMIT is sent (what a pooler
 * closing its server connection does); the client must hear a 5xx, and no id for a lead that is not there.
 */
let relayed: RelayedDatabase;
let server: RunningServer;

beforeAll(async () => {
  relayed = await openRelayedDatabase(2);
  server = await startNextServer({
    DATABASE_URL: relayed.relayedUrl,
    // Unprepared, so every COMMIT crosses the relay as text it can recognise.
    DATABASE_PREPARED_STATEMENTS: "false",
    CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
    NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
    LEAD_RATE_LIMIT_PER_10_MINUTES: "1000",
  });
});

afterAll(async () => {
  await server?.stop();
  await relayed?.close();
});

const postLead = (n: number) =>
  fetch(`${server.url}/api/leads`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `Lost ${n}`, email: `lost${n}@client.example` }),
  });

describe("a connection dropped at the commit", () => {
  it("answers 503 with Retry-After and no id, and the lead is not in the table; the next lead is written", async () => {
    const dropped = relayed.proxy.dropConnectionAt(/\0commit\0/i);
    const response = await postLead(1);
    await dropped;
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeTruthy();
    expect(await response.json()).not.toHaveProperty("id");
    const rows = await relayed.db.sql`select id from public.leads where email = 'lost1@client.example'`;
    expect(rows).toEqual([]);

    let written: Response | undefined;
    for (let attempt = 0; attempt < 20 && written?.status !== 201; attempt++) {
      written = await postLead(2);
      if (written.status !== 201) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { id } = (await written!.json()) as { id: string };
    expect(await relayed.db.sql`select id from public.leads where id = ${id}`).toEqual([{ id }]);
  });
});
