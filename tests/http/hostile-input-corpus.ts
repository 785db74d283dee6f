import { makeBookingCreated, makeBookingRescheduled } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import type { RawRequest } from "../support/raw-http";
import { TEST_WEBHOOK_SECRET } from "../support/webhook-harness";

/**
 * Bad requests an attacker or a broken client can send, each with the answer the README documents.
 * `trace` says what the request may leave behind: nothing, a capped `unverified` row, a repeat count, or
 * (for a body signed with our secret) one queued item for staff and no lead change.
 */
export interface HostileCase {
  name: string;
  request: RawRequest;
  status: number | number[];
  trace: "none" | "unverified" | "unsupported" | "repeat";
}

const WEBHOOK = "/api/webhooks/cal";
const json = { "content-type": "application/json" };
const signed = (body: string | Buffer) => ({
  ...json,
  "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
});
const unsigned = (body: string | Buffer, headers: Record<string, string> = json): HostileCase["request"] => ({
  method: "POST",
  path: WEBHOOK,
  headers,
  body,
});

function nested(depth: number, open: string, close: string, inner = "1") {
  return open.repeat(depth) + inner + close.repeat(depth);
}

export function hostileCases(replayBody: string): HostileCase[] {
  const valid = JSON.stringify(makeBookingCreated({ submissionToken: "sub_attacker.forged" }));
  const cases: HostileCase[] = [];
  const add = (
    name: string,
    request: RawRequest,
    status: number | number[],
    trace: HostileCase["trace"] = "none",
  ) => cases.push({ name, request, status, trace });

  // Unsigned or wrongly signed: 401, kept at most as a capped `unverified` row.
  for (let cut = 1; cut <= 60; cut++) {
    add(
      `truncated JSON at ${(cut * 100) / 60}% without a signature`,
      unsigned(valid.slice(0, Math.floor((valid.length * cut) / 60))),
      401,
      "unverified",
    );
  }
  for (const depth of [100, 1_000, 10_000, 50_000]) {
    add(`arrays nested ${depth} deep`, unsigned(nested(depth, "[", "]")), 401, "unverified");
    // 50,000 levels of {"a": pass the 256 KiB cap: refused for size before anything else.
    add(
      `objects nested ${depth} deep`,
      unsigned(nested(depth, '{"a":', "}")),
      depth > 40_000 ? 413 : 401,
      depth > 40_000 ? "none" : "unverified",
    );
  }
  for (const size of [10_000, 100_000, 250_000]) {
    add(
      `a ${size}-character string field`,
      unsigned(JSON.stringify({ triggerEvent: "BOOKING_CREATED", payload: { title: "x".repeat(size) } })),
      401,
      "unverified",
    );
  }
  const wrongTypes: [string, unknown][] = [
    ["triggerEvent", 42],
    ["triggerEvent", null],
    ["triggerEvent", ["BOOKING_CREATED"]],
    ["triggerEvent", { a: 1 }],
    ["createdAt", 1700000000],
    ["createdAt", "yesterday"],
    ["payload", "a string"],
    ["payload", 7],
    ["payload", null],
    ["payload", []],
  ];
  const base = JSON.parse(valid) as { payload: Record<string, unknown> };
  const wrongPayloadTypes: [string, unknown][] = [
    ["uid", 12345],
    ["uid", ""],
    ["startTime", 1700000000],
    ["startTime", "not a time"],
    ["endTime", { at: 1 }],
    ["attendees", "everyone"],
    ["attendees", [42]],
    ["metadata", "submissionId=1"],
    ["metadata", { submissionId: 42 }],
    ["rescheduleUid", ["a", "b"]],
  ];
  for (const [field, value] of wrongPayloadTypes) {
    wrongTypes.push([`payload.${field}`, { ...base.payload, [field]: value }]);
  }
  const withWrongType = (field: string, value: unknown) =>
    JSON.stringify(
      field.startsWith("payload.")
        ? { ...JSON.parse(valid), payload: value }
        : { ...JSON.parse(valid), [field]: value },
    );
  const describeValue = (field: string, value: unknown) =>
    field.startsWith("payload.")
      ? JSON.stringify((value as Record<string, unknown>)[field.slice(8)])
      : JSON.stringify(value);
  for (const [field, value] of wrongTypes) {
    add(
      `${field} as ${describeValue(field, value)} without a signature`,
      unsigned(withWrongType(field, value)),
      401,
      "unverified",
    );
  }
  for (const key of ["__proto__", "constructor", "prototype"]) {
    add(
      `a ${key} key at the top`,
      unsigned(`{"${key}":{"polluted":true},"triggerEvent":"BOOKING_CREATED"}`),
      401,
      "unverified",
    );
    add(
      `a ${key} key in the payload`,
      unsigned(`{"triggerEvent":"BOOKING_CREATED","payload":{"${key}":{"isAdmin":true}}}`),
      401,
      "unverified",
    );
  }
  for (const bytes of [
    [0xff],
    [0xc3, 0x28],
    [0xe2, 0x82],
    [0xf0, 0x28, 0x8c, 0xbc],
    [0xed, 0xa0, 0x80],
    [0x00],
  ]) {
    add(
      `invalid UTF-8 ${Buffer.from(bytes).toString("hex")}`,
      unsigned(Buffer.concat([Buffer.from('{"triggerEvent":"'), Buffer.from(bytes), Buffer.from('"}')])),
      401,
      "unverified",
    );
  }
  const otherBody = JSON.stringify(makeBookingRescheduled({ rescheduleUid: "old", submissionToken: null }));
  const signatureVariants: [string, string][] = [
    ["over a different body", signCalBody(otherBody, TEST_WEBHOOK_SECRET)],
    ["with the wrong secret", signCalBody(valid, "whsec_guess")],
    ["empty", ""],
    ["with a sha256= prefix", `sha256=${signCalBody(valid, TEST_WEBHOOK_SECRET)}`],
    ["truncated", signCalBody(valid, TEST_WEBHOOK_SECRET).slice(0, 32)],
    ["twice, comma-separated", `${signCalBody(valid, "a")}, ${signCalBody(valid, "b")}`],
    ["as base64", Buffer.from(signCalBody(valid, TEST_WEBHOOK_SECRET), "hex").toString("base64")],
    ["with a header-injection attempt", "deadbeef\tX-Injected: 1"],
    ["as no-secret-provided", "no-secret-provided"],
    ["10,000 characters long", "a".repeat(10_000)],
  ];
  for (const [name, signature] of signatureVariants) {
    add(
      `signature ${name}`,
      unsigned(valid, { ...json, "x-cal-signature-256": signature }),
      401,
      "unverified",
    );
  }
  for (const contentType of [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "",
  ]) {
    add(
      `content type "${contentType}" without a signature`,
      unsigned(valid, contentType ? { "content-type": contentType } : {}),
      401,
      "unverified",
    );
  }
  for (const size of [300 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
    add(`a ${Math.round(size / 1024)} KiB body`, unsigned(Buffer.alloc(size, 0x61)), 413);
    add(
      `a ${Math.round(size / 1024)} KiB body, signed`,
      {
        method: "POST",
        path: WEBHOOK,
        headers: signed(Buffer.alloc(size, 0x61)),
        body: Buffer.alloc(size, 0x61),
      },
      413,
    );
  }
  add(
    "a small body sent slowly",
    { ...unsigned(valid), chunks: { pieces: 10, delayMs: 150 } },
    401,
    "unverified",
  );
  for (let n = 0; n < 5; n++)
    add(
      `replay ${n + 1} of an old signed delivery`,
      { method: "POST", path: WEBHOOK, headers: signed(replayBody), body: replayBody },
      200,
      "repeat",
    );

  // Signed with our secret but not a booking event: 200 and an `unsupported_payload` item (documented).
  for (const [field, value] of wrongTypes) {
    const body = withWrongType(field, value);
    add(
      `signed, ${field} as ${describeValue(field, value)}`,
      { method: "POST", path: WEBHOOK, headers: signed(body), body },
      200,
      "unsupported",
    );
  }
  for (const cut of [10, 50, 90]) {
    const body = valid.slice(0, Math.floor((valid.length * cut) / 100));
    add(
      `signed, truncated at ${cut}%`,
      { method: "POST", path: WEBHOOK, headers: signed(body), body },
      200,
      "unsupported",
    );
  }
  const deep = nested(20_000, "[", "]");
  add(
    "signed, arrays nested 20,000 deep",
    { method: "POST", path: WEBHOOK, headers: signed(deep), body: deep },
    200,
    "unsupported",
  );
  const proto = `{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-03-02T09:14:07.512Z","payload":{"__proto__":{"uid":"x"},"uid":"proto-test","startTime":"2026-03-05T15:00:00Z","endTime":"2026-03-05T15:30:00Z","attendees":[],"metadata":{"__proto__":{"submissionId":"x"}}}}`;
  add(
    "signed, __proto__ keys in payload and metadata",
    { method: "POST", path: WEBHOOK, headers: signed(proto), body: proto },
    200,
    "unsupported",
  );

  // Methods and path tricks on the webhook: served at its one path, nothing else.
  for (const method of ["GET", "PUT", "DELETE", "PATCH"])
    add(`${method} on the webhook`, { method, path: WEBHOOK }, 405);
  for (const path of [
    "/api/webhooks/cal/",
    "/api/webhooks/cal?x=1",
    "/api/webhooks/./cal",
    "/api/webhooks/x/../cal",
  ]) {
    add(
      `POST ${path} without a signature`,
      { method: "POST", path, headers: json, body: valid },
      [401, 404],
      "unverified",
    );
  }
  for (const path of [
    "/api/webhooks/CAL",
    "/api/webhooks/cal%2F",
    "/api/webhooks//cal",
    "/api/webhooks/cal/extra",
    "/api/webhooks/cal%00",
  ]) {
    add(
      `POST ${path}`,
      { method: "POST", path, headers: json, body: valid },
      [400, 401, 404, 405, 308],
      "unverified",
    );
  }

  // The console, signed out: never its content, only the sign-in page, 401, 403 or 404.
  const signedOut = [307, 401, 404, 400, 308];
  for (const path of [
    "/admin",
    "/admin/",
    "/ADMIN",
    "/admin/../admin",
    "//admin",
    "/admin%2faudit",
    "/admin/audit",
    "/admin/audit/",
    "/admin/audit/export?format=csv",
    "/admin/audit/export?format=../../etc/passwd",
    "/admin/audit/export/",
    "/admin/failures/%2e%2e",
    "/admin/failures/00000000-0000-4000-8000-000000000000",
    "/admin/failures/'%20or%201=1--",
    "/admin/leads",
    "/admin/leads/..%2f..%2fetc",
    "/admin/leads/%00",
    "/admin/sign-in/../audit",
    "/admin?status=all&q=%27%3B%20drop%20table%20leads%3B--",
    "/admin/audit?actor=%25",
    "/admin/%2e%2e/admin/audit",
    "/admin;/audit",
    "/admin/audit%3Fformat=csv",
  ]) {
    add(`GET ${path} signed out`, { path }, signedOut);
  }
  add("a forged session cookie", { path: "/admin", headers: { cookie: "bh_session=forged-token" } }, 307);
  add(
    "a forged session cookie on the export",
    { path: "/admin/audit/export?format=csv", headers: { cookie: "bh_session=forged" } },
    401,
  );
  add(
    "a server action id posted signed out",
    {
      method: "POST",
      path: "/admin",
      headers: { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" },
      body: "[]",
    },
    [400, 404, 409],
  );

  // Lead capture: documented errors, nothing created.
  const lead = (body: string | Buffer, headers: Record<string, string> = json): RawRequest => ({
    method: "POST",
    path: "/api/leads",
    headers,
    body,
  });
  add(
    "lead as text/plain",
    lead('{"name":"A","email":"a@b.example"}', { "content-type": "text/plain" }),
    415,
  );
  add("lead without a content type", lead('{"name":"A","email":"a@b.example"}', {}), 415);
  add("lead as invalid JSON", lead("{name:"), 400);
  add("lead as invalid UTF-8", lead(Buffer.from([0x7b, 0xff, 0x7d])), 400);
  add("lead with a __proto__ key", lead('{"__proto__":{"isAdmin":true}}'), 400);
  add("lead with wrong types", lead('{"name":42,"email":["a@b.example"]}'), 400);
  add(
    "lead with a 1 MiB name",
    lead(JSON.stringify({ name: "x".repeat(1024 * 1024), email: "a@b.example" })),
    413,
  );
  add(
    "lead with a header-like email",
    lead(JSON.stringify({ name: "A", email: "a@b.example\r\nBcc: all@x.example" })),
    400,
  );
  add("lead as a JSON array", lead("[]"), 400);
  add("lead with a NUL in the name", lead('{"name":"A\\u0000B","email":"a@b.example"}'), 400);
  add(
    "lead with a NUL in the message",
    lead('{"name":"A","email":"a@b.example","message":"x\\u0000y"}'),
    400,
  );
  add(
    "lead with an escape sequence in the company",
    lead('{"name":"A","email":"a@b.example","company":"\\u001b[31mred"}'),
    400,
  );

  // CSP reports: anyone can post; junk is refused or stored harmlessly, never a 500.
  const csp = (body: string | Buffer, contentType = "application/csp-report"): RawRequest => ({
    method: "POST",
    path: "/api/csp-report",
    headers: { "content-type": contentType },
    body,
  });
  add(
    "a CSP report with a NUL",
    csp('{"csp-report":{"document-uri":"https://x.example/\\u0000","blocked-uri":"a\\u0000b"}}'),
    204,
  );
  add(
    "a Reporting API report with a NUL",
    csp(
      '[{"type":"csp-violation","body":{"documentURL":"\\u0000","sample":"\\u0000"}}]',
      "application/reports+json",
    ),
    204,
  );
  add("a CSP report as invalid JSON", csp("{"), 400);
  add("a CSP report as invalid UTF-8", csp(Buffer.from([0x7b, 0xff, 0x7d])), 400);
  add("a CSP report over 16 KiB", csp(JSON.stringify({ "csp-report": { sample: "x".repeat(20_000) } })), 413);

  // The scheduler's entry point: a secret or nothing.
  for (const authorization of [
    "",
    "Bearer",
    "Bearer wrong",
    "Basic dXNlcjpwYXNz",
    `Bearer ${"a".repeat(5000)}`,
    "Bearer hostile-corpus-cron-secreT",
  ]) {
    add(
      `the cron route with authorization "${authorization.slice(0, 20)}"`,
      { path: "/api/cron/health", headers: authorization ? { authorization } : {} },
      401,
    );
  }
  add("a booking link with a NUL", { path: "/book?submission=a%00b" }, 200);
  add("a booking link with a forged token", { path: "/book?submission=sub_x.y.z&another=1" }, 200);
  add("the intake page with junk parameters", { path: "/?x=%00&y=%FF" }, 200);
  add("lead as JSON null", lead("null"), 400);
  add("GET on the lead API", { path: "/api/leads" }, 405);
  return cases;
}

/** Values no page parameter should fail on: each is ignored or answered 400/404, never a 5xx. */
const HOSTILE_VALUES = [
  "%00",
  "a%00b",
  "2024-02-31",
  "0000-01-01",
  "9999-99-99",
  "----",
  "-1",
  "1e309",
  "NaN",
  "%FF",
  "%E2%80%AE",
  "%27%3B%20drop%20table%20leads%3B--",
  "x".repeat(3000),
  Buffer.from('["2024-02-31T00:00:00Z","----"]').toString("base64url"),
  Buffer.from('["2026-01-01T00:00:00.000Z","----"]').toString("base64url"),
  Buffer.from('["0000-01-01T00:00:00Z","00000000-0000-4000-8000-000000000000"]').toString("base64url"),
  "%5B%5D",
];

/** Every console page and each search parameter it reads, as a signed-in manager; ids name real rows. */
export function signedInPageCases(cookie: string, ids: { lead: string; failure: string }): HostileCase[] {
  const pages: Record<string, string[]> = {
    "/admin": ["status", "reason", "trigger", "from", "to", "q", "sort", "dir", "size", "after", "before"],
    "/admin/audit": ["actor", "action", "lead", "failure", "from", "to", "before"],
    "/admin/audit/export?format=csv": ["actor", "action", "lead", "failure", "from", "to", "before"],
    "/admin/audit/export?format=jsonl": ["from", "to"],
    "/admin/leads": ["q", "stage", "after"],
    [`/admin/leads/${ids.lead}`]: ["merge"],
    [`/admin/failures/${ids.failure}`]: ["lead", "q"],
    "/admin/health": ["days"],
    "/admin/sign-in": ["next"],
  };
  const cases: HostileCase[] = [];
  for (const [page, names] of Object.entries(pages)) {
    for (const name of names) {
      for (const value of HOSTILE_VALUES) {
        const path = `${page}${page.includes("?") ? "&" : "?"}${name}=${value}`;
        cases.push({
          name: `GET ${path.slice(0, 120)} signed in`,
          request: { path, headers: { cookie } },
          status: [200, 307, 400, 404],
          trace: "none",
        });
      }
      cases.push({
        name: `GET ${page} with ${name} repeated`,
        request: { path: `${page}${page.includes("?") ? "&" : "?"}${name}=a&${name}=b`, headers: { cookie } },
        status: [200, 307, 400, 404],
        trace: "none",
      });
    }
  }
  for (const id of ["----", "%00", "00000000-0000-0000-0000-000000000000", "1", "x".repeat(500)]) {
    for (const base of ["/admin/leads/", "/admin/failures/"])
      cases.push({
        name: `GET ${base}${id.slice(0, 40)} signed in`,
        request: { path: `${base}${id}`, headers: { cookie } },
        status: [400, 404],
        trace: "none",
      });
  }
  return cases;
}
