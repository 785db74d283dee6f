import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXPECTED_SCHEMA_VERSION } from "@/lib/db/schema-version";

describe("the schema version the code expects", () => {
  it("is the newest migration's", () => {
    const versions = readdirSync(path.join(import.meta.dirname, "..", "..", "supabase", "migrations"))
      .map((file) => file.slice(0, 14))
      .sort();
    expect(EXPECTED_SCHEMA_VERSION).toBe(versions.at(-1));
  });
});
