import { describe, expect, it } from "vitest";
import { parseSince } from "@/lib/backfill/parse-since";

describe("--since for the backfill", () => {
  const now = new Date("2026-11-26T12:00:00Z");
  it.each([
    ["72h", "2026-11-23T12:00:00.000Z"],
    ["3d", "2026-11-23T12:00:00.000Z"],
    ["90m", "2026-11-26T10:30:00.000Z"],
    ["2026-11-20T00:00:00Z", "2026-11-20T00:00:00.000Z"],
  ])("%s", (text, expected) => expect(parseSince(text, now)?.toISOString()).toBe(expected));
  it.each(["", "72", "h", "-3d", "yesterday", "3w"])("refuses %j", (text) =>
    expect(parseSince(text, now)).toBeNull(),
  );
});
