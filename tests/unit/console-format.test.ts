import { describe, expect, it } from "vitest";
import { eventFate, formatValue } from "@/components/admin/format";

describe("what the console says became of a stored event", () => {
  it("a queued event says what staff or a later tie decided", () => {
    expect(eventFate("queued", "applied")).toBe("queued, then applied by staff");
    expect(eventFate("queued", "retry_matched")).toBe("queued, then matched on a retry");
    expect(eventFate("queued", "discarded")).toBe("queued, then discarded by staff");
    expect(eventFate("queued", "auto_matched")).toBe("queued, then matched once its booking was tied");
  });

  it("an open item, or an event that never queued, keeps its outcome", () => {
    expect(eventFate("queued", null)).toBe("queued");
    expect(eventFate("applied", null)).toBe("applied");
    expect(eventFate(null, undefined)).toBe("—");
  });
});

describe("values in a diff", () => {
  it("a stored timestamp reads as a UTC time, other strings as they are", () => {
    expect(formatValue("2026-12-05T11:40:20.000Z")).toBe("2026-12-05 11:40 UTC");
    expect(formatValue("2026-12-05T06:40:20-05:00")).toBe("2026-12-05 11:40 UTC");
    expect(formatValue("2026-12-05")).toBe("2026-12-05");
    expect(formatValue("call_booked")).toBe("call_booked");
    expect(formatValue([])).toBe("(none)");
  });
});
