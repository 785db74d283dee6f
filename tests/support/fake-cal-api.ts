import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Cal.com's API v2 (the real one is not reachable here): GET /v2/bookings with the
 * 2024-08-13 shape, take/skip paging and the afterUpdatedAt and bookingUid filters. Queued faults answer
 * the next requests with a status (and Retry-After) before it serves normally again.
 */
export interface FakeBooking {
  uid: string;
  status: "accepted" | "pending" | "cancelled" | "rejected";
  start: string;
  end: string;
  createdAt: string;
  updatedAt: string;
  rescheduledFromUid?: string;
  rescheduledToUid?: string;
  cancellationReason?: string;
  metadata?: Record<string, string>;
  attendees: { name: string; email: string; timeZone: string; absent: boolean }[];
  title: string;
}

export const API_KEY = "cal_live_test_key";

export async function startFakeCalApi() {
  const bookings: FakeBooking[] = [];
  const faults: { status: number; retryAfter?: string }[] = [];
  const requests: { at: number; query: Record<string, string>; status: number }[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const query = Object.fromEntries(url.searchParams);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ at: Date.now(), query, status });
      response
        .writeHead(status, { "content-type": "application/json", ...headers })
        .end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${API_KEY}`)
      return send(401, { status: "error", error: { code: "UNAUTHORIZED" } });
    if (request.headers["cal-api-version"] !== "2024-08-13")
      return send(400, { status: "error", error: { message: "cal-api-version" } });
    const fault = faults.shift();
    if (fault)
      return send(
        fault.status,
        { status: "error" },
        fault.retryAfter ? { "retry-after": fault.retryAfter } : {},
      );
    if (url.pathname !== "/v2/bookings") return send(404, { status: "error" });
    const take = Number(query.take ?? 100);
    const skip = Number(query.skip ?? 0);
    const matching = bookings
      .filter((b) => !query.afterUpdatedAt || b.updatedAt > query.afterUpdatedAt)
      .filter((b) => !query.bookingUid || b.uid === query.bookingUid)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    const page = matching.slice(skip, skip + take);
    send(200, {
      status: "success",
      data: page,
      pagination: {
        totalItems: matching.length,
        returnedItems: page.length,
        itemsPerPage: take,
        hasNextPage: skip + take < matching.length,
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bookings,
    faults,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let counter = 0;
export function fakeBooking(overrides: Partial<FakeBooking> & { email: string }): FakeBooking {
  counter += 1;
  const { email, ...rest } = overrides;
  return {
    uid: `apiBooking${counter}${Math.random().toString(36).slice(2, 8)}`,
    status: "accepted",
    start: "2026-12-03T10:00:00.000Z",
    end: "2026-12-03T10:30:00.000Z",
    createdAt: "2026-11-25T09:00:00.000Z",
    updatedAt: `2026-11-25T09:${String(counter % 60).padStart(2, "0")}:00.000Z`,
    attendees: [{ name: "API Person", email, timeZone: "UTC", absent: false }],
    title: "Intro call",
    ...rest,
  };
}
