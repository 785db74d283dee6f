import { describe, expect, it } from "vitest";
import { csvCell, csvHeader, csvLine } from "@/lib/audit/audit-export-format";
import { parseAuditParams } from "@/lib/audit/audit-params";
import { hashPassword, verifyPassword } from "@/lib/auth/password-hash";
import { isSameOrigin } from "@/lib/auth/request-context";
import { safeReturnPath } from "@/lib/auth/return-path";
import { sqlHandle } from "@/lib/db/database";
import { allOf, direction, empty, fragment, runFragment } from "@/lib/db/fragment";
import { decodeCursor, encodeCursor } from "@/lib/db/keyset-cursor";
import { queueHref } from "@/lib/failure-queue/queue-href";
import { parseQueueParams } from "@/lib/failure-queue/queue-params";

describe("queue URL state", () => {
  it("keeps valid values and falls back to defaults for anything else, never failing the page", () => {
    expect(
      parseQueueParams({
        status: "discarded",
        reason: "unmatched",
        trigger: "BOOKING_CREATED",
        size: "50",
        sort: "event_time",
        dir: "asc",
        q: "  ada  ",
      }),
    ).toMatchObject({
      status: "discarded",
      reason: "unmatched",
      trigger: "BOOKING_CREATED",
      size: 50,
      sort: "event_time",
      dir: "asc",
      q: "ada",
    });
    expect(
      parseQueueParams({
        status: "evil",
        reason: "x'; drop",
        trigger: "<script>",
        size: "1000000",
        sort: "id",
        dir: "sideways",
        from: "2026-13-45",
        after: "$$$",
      }),
    ).toEqual({
      status: "open",
      sort: "received",
      dir: "desc",
      size: 25,
      q: undefined,
      reason: undefined,
      trigger: undefined,
      from: undefined,
      to: undefined,
      after: undefined,
      before: undefined,
    });
    expect(parseQueueParams({ status: ["resolved", "open"] }).status).toBe("resolved");
  });

  it("links drop defaults, and any change but paging returns to page one", () => {
    const params = parseQueueParams({ reason: "unmatched", after: "abc" });
    expect(queueHref(params, { status: "all" })).toBe("/admin?status=all&reason=unmatched");
    expect(queueHref(params, { after: "next" })).toBe("/admin?reason=unmatched&after=next");
    expect(queueHref(parseQueueParams({}), {})).toBe("/admin");
  });

  it("cursors round-trip and refuse anything that is not a time and an id", () => {
    const cursor = encodeCursor({
      value: "2026-11-20T09:00:00.123456Z",
      id: "0b6f6c54-5f5e-4c55-9d8e-3f1a2b3c4d5e",
    });
    expect(decodeCursor(cursor)).toEqual({
      value: "2026-11-20T09:00:00.123456Z",
      id: "0b6f6c54-5f5e-4c55-9d8e-3f1a2b3c4d5e",
    });
    for (const bad of [
      "",
      "!!",
      Buffer.from('["not a time","x"]').toString("base64url"),
      Buffer.from('["2026-11-20T09:00:00Z","1; drop table"]').toString("base64url"),
    ]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });
});

describe("audit URL state", () => {
  it("filters by an action the trail records, and ignores any other", () => {
    expect(parseAuditParams({ action: "failure.discarded" }).action).toBe("failure.discarded");
    for (const action of ["failure.deleted", "lead.updated", "x'; drop table audit_log; --", ""]) {
      expect(parseAuditParams({ action }).action).toBeUndefined();
    }
  });
});

describe("where sign-in may send you", () => {
  it.each([
    ["/admin/failures/1?x=1", "/admin/failures/1?x=1"],
    ["/admin", "/admin"],
    ["https://evil.example/admin", "/admin"],
    ["//evil.example", "/admin"],
    ["/admin\\@evil.example", "/admin"],
    ["/administrator", "/admin"],
    ["/admin/sign-in?next=/admin", "/admin"],
    [undefined, "/admin"],
  ])("%s → %s", (input, expected) => expect(safeReturnPath(input)).toBe(expected));
});

describe("same-origin check for actions", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);
  it("accepts its own origin (or none) and refuses others", () => {
    expect(isSameOrigin(headers({ host: "app.example", origin: "https://app.example" }))).toBe(true);
    expect(isSameOrigin(headers({ host: "app.example" }))).toBe(true);
    expect(isSameOrigin(headers({ host: "app.example", origin: "https://evil.example" }))).toBe(false);
    expect(isSameOrigin(headers({ host: "app.example", origin: "null" }))).toBe(false);
    expect(
      isSameOrigin(
        headers({ host: "internal:3000", "x-forwarded-host": "app.example", origin: "https://app.example" }),
      ),
    ).toBe(true);
  });
});

describe("composed SQL", () => {
  it("runs as one parameterised statement: values stay parameters, never text", async () => {
    const seen: { text: string; values: readonly unknown[] }[] = [];
    const sql = sqlHandle(
      async () => {
        throw new Error("a composed statement never runs as a tagged template");
      },
      async (text, values) => {
        seen.push({ text, values });
        return [];
      },
    );
    const where = allOf([fragment`a = ${"x'; drop table leads; --"}`, fragment`b < ${2}`]);
    await runFragment(
      sql,
      fragment`select 1 where ${where} ${empty} order by c ${direction("desc")} limit ${10}`,
    );
    expect(seen).toEqual([
      {
        text: "select 1 where a = $1 and b < $2  order by c desc limit $3",
        values: ["x'; drop table leads; --", 2, 10],
      },
    ]);
    await runFragment(sql, fragment`select 1 where ${allOf([])}`);
    expect(seen[1]).toEqual({ text: "select 1 where true", values: [] });
  });
});

describe("CSV export cells", () => {
  it("quotes separators and defuses spreadsheet formulas", () => {
    const line = csvLine({
      id: 70,
      seq: 7,
      occurredAt: "2026-11-26T10:00:00.000000Z",
      actorType: "staff",
      actorId: "id",
      actorEmail: "a@b.example",
      actorRole: "staff",
      action: "failure.discarded",
      leadId: null,
      failureId: null,
      webhookEventId: null,
      before: { status: "open" },
      after: { status: "discarded" },
      reason: '=cmd|"/c calc"!A1, "quoted"',
      requestContext: { ip: "+1", userAgent: "@ua", requestId: "-r" },
      sealMac: "h",
    });
    expect(line).toContain(`"'=cmd|""/c calc""!A1, ""quoted"""`);
    expect(line).toContain(`,"'+1","'@ua","'-r","h"\r\n`);
    expect(line).toContain(`status: ""open"" -> ""discarded""`);
  });

  it("quotes every cell, empty ones too, and defuses a formula after any separator a spreadsheet may split on", () => {
    const cells = [
      ["ok;=cmd|'/C calc'!A0", `"ok;'=cmd|'/C calc'!A0"`],
      ["10.0.0.9;=1+1", `"10.0.0.9;'=1+1"`],
      ["a,@SUM(A1)", `"a,'@SUM(A1)"`],
      ["tab\t=1", `"tab\t'=1"`],
      ["line\n+1", `"line\n'+1"`],
      ["pipe| -2", `"pipe| '-2"`],
      ["\t=lead", `"'\t'=lead"`],
      ["plain text; nothing to run", `"plain text; nothing to run"`],
      ["2026-12-01", `"2026-12-01"`],
      [null, `""`],
      [42, `"42"`],
    ] as const;
    for (const [value, expected] of cells) expect(csvCell(value), String(value)).toBe(expected);
    expect(csvHeader()).toMatch(/^"id","seal_seq",/);
  });
});

describe("password hashes", () => {
  it("verify the right password only, and refuse malformed or absurd-cost hashes", async () => {
    const stored = await hashPassword("a long enough passphrase");
    expect(stored).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword("a long enough passphrase", stored)).toBe(true);
    expect(await verifyPassword("a long enough passphrasE", stored)).toBe(false);
    expect(await verifyPassword("anything", null)).toBe(false);
    expect(await verifyPassword("x", "scrypt$30$8$1$AAAA$AAAA")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$whatever")).toBe(false);
  });
});
