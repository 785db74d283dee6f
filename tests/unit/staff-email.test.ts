import { describe, expect, it } from "vitest";
import { accountHash } from "@/lib/auth/login-lockout";
import { isStaffEmail, normalizeStaffEmail, staffEmailForAccount } from "@/lib/auth/staff-email";

describe("the one form of a staff email", () => {
  it("folds case, width and compatibility letters into ASCII, and trims", () => {
    expect(normalizeStaffEmail(" Dana@Team.Example ")).toBe("dana@team.example");
    expect(normalizeStaffEmail("ｄａｎａ＠ｔｅａｍ．ｅｘａｍｐｌｅ")).toBe("dana@team.example");
    expect(normalizeStaffEmail("\u212Aim@team.example")).toBe("kim@team.example"); // Kelvin sign
    expect(normalizeStaffEmail("ſam@team.example")).toBe("sam@team.example"); // long s
  });

  it("leaves letters whose folding differs between JavaScript and PostgreSQL as they are, and no such address is an account", () => {
    for (const address of [
      "staffİ@team.example",
      "staffı@team.example",
      "straße@team.example",
      "STRAẞE@team.example",
    ]) {
      expect(isStaffEmail(address)).toBe(false);
      expect(() => staffEmailForAccount(address)).toThrow(/must be ASCII/);
    }
    expect(normalizeStaffEmail("staffİ@team.example")).not.toBe("staffi@team.example");
  });

  it("every spelling of one account shares one lockout bucket", () => {
    const bucket = accountHash("staffi@team.example");
    for (const spelling of ["STAFFI@TEAM.EXAMPLE", "  staffi@team.example", "ｓｔａｆｆｉ@team.example"]) {
      expect(accountHash(spelling)).toBe(bucket);
    }
    expect(accountHash("staffİ@team.example")).not.toBe(bucket);
  });

  it("needs one @ between printable ASCII", () => {
    expect(isStaffEmail("dana@team.example")).toBe(true);
    expect(isStaffEmail("dana team@example")).toBe(false);
    expect(isStaffEmail("dana")).toBe(false);
  });
});
