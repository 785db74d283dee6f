import { describe, expect, it } from "vitest";
import { eventFate } from "@/components/admin/format";

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
