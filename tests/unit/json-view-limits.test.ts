import { describe, expect, it } from "vitest";
import { type Json, TREE_VIEW_LIMITS, fitsTreeView } from "@/components/admin/json-view";
import { loadFixture } from "../support/webhook-harness";

describe("what the payload view draws as a tree", () => {
  it("every Cal.com fixture fits", () => {
    for (let n = 1; n <= 17; n++) expect(fitsTreeView(loadFixture(n) as Json)).toEqual({ fits: true });
  });

  it("32,000 nested arrays do not, and are measured without recursion", () => {
    const nested = JSON.parse("[".repeat(32_000) + "]".repeat(32_000)) as Json;
    expect(fitsTreeView(nested)).toEqual({ fits: false, why: "it is nested deeper than 16 levels" });
  });

  it("nesting at the limit fits, one more level does not", () => {
    const nest = (levels: number): Json => (levels === 0 ? 1 : [nest(levels - 1)]);
    expect(fitsTreeView(nest(TREE_VIEW_LIMITS.depth))).toEqual({ fits: true });
    expect(fitsTreeView(nest(TREE_VIEW_LIMITS.depth + 1)).fits).toBe(false);
  });

  it("too many values, or too much text in keys and strings, do not", () => {
    expect(fitsTreeView(Array.from({ length: 2000 }, () => 0))).toEqual({
      fits: false,
      why: "it holds more than 2000 values",
    });
    expect(fitsTreeView({ note: "x".repeat(70_000) })).toEqual({
      fits: false,
      why: "its text is longer than 65536 characters",
    });
    expect(fitsTreeView({ ["k".repeat(70_000)]: 1 }).fits).toBe(false);
  });
});
