import net from "node:net";
import { describe, expect, it } from "vitest";
import { nextServerForThisFile } from "../support/next-server-for-this-file";

const LEAD_LIMIT = 5;
const app = nextServerForThisFile(() => ({
  LEAD_RATE_LIMIT_PER_10_MINUTES: String(LEAD_LIMIT),
  REQUEST_TIMEOUT_MS: "3000",
}));

/** Opens a raw connection, writes `head` and then nothing more: a client that stops half-way. */
function stalledRequest(head: string): Promise<{ firstLine: string; closedAfterMs: number }> {
  const url = new URL(app.server.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(head));
    socket.on("data", (chunk) => (received += chunk));
    socket.on("error", reject);
    socket.on("close", () =>
      resolve({ firstLine: received.split("\r\n")[0], closedAfterMs: performance.now() - started }),
    );
  });
}

const postLead = (n: number, headers: Record<string, string>) =>
  fetch(`${app.server.url}/api/leads`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ name: `Rotator ${n}`, email: `rotator${n}@client.example` }),
  }).then((response) => response.status);

describe("deadlines and the client's address, against npm start's server", () => {
  it("a body that stops arriving is answered 408 at the deadline and its connection closed", async () => {
    for (const path of ["/api/webhooks/cal", "/api/leads", "/admin/sign-in"]) {
      const stalled = await stalledRequest(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"a":`,
      );
      expect(stalled.firstLine, path).toBe("HTTP/1.1 408 Request Timeout");
      expect(stalled.closedAfterMs, path).toBeGreaterThan(2500);
    }
  });

  it("headers that stop arriving are cut at the deadline", async () => {
    const stalled = await stalledRequest("GET /admin HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    expect(stalled.firstLine).toBe("HTTP/1.1 408 Request Timeout");
  });

  it("the lead limit holds however the client rewrites X-Forwarded-For or the peer header", async () => {
    const statuses = [];
    for (let n = 0; n < LEAD_LIMIT + 3; n++) {
      statuses.push(
        await postLead(n, {
          "x-forwarded-for": `198.51.100.${n}`,
          "x-booking-handoff-peer": `203.0.113.${n}`,
          "x-real-ip": `192.0.2.${n}`,
        }),
      );
    }
    expect(statuses).toEqual([...Array(LEAD_LIMIT).fill(201), 429, 429, 429]);
    const leads = await app.db.sql<{
      n: number;
    }>`select count(*)::int as n from public.leads where name like 'Rotator %'`;
    expect(leads).toEqual([{ n: LEAD_LIMIT }]);
  });
});
