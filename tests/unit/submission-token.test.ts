import { describe, expect, it } from "vitest";
import { newSubmissionId, signSubmissionId, verifySubmissionToken } from "@/lib/leads/submission-token";

const secret = "a-submission-secret-that-is-long-enough-123";

describe("signed submission token", () => {
  const id = newSubmissionId();
  const token = signSubmissionId(id, secret);

  it("round-trips and fits Cal.com's metadata value limit", () => {
    expect(verifySubmissionToken(token, secret)).toBe(id);
    expect(token.length).toBeLessThanOrEqual(500);
    expect(token).toMatch(/^sub_[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
  });

  it("rejects another lead's ID with this lead's MAC", () => {
    const other = newSubmissionId();
    expect(verifySubmissionToken(`${other}.${token.split(".")[1]}`, secret)).toBeNull();
  });

  it("rejects a flipped MAC character, a wrong secret, and malformed tokens", () => {
    const mac = token.split(".")[1];
    const flipped = `${id}.${mac[0] === "A" ? "B" : "A"}${mac.slice(1)}`;
    expect(verifySubmissionToken(flipped, secret)).toBeNull();
    // The last character carries two spare bits: another spelling of the same bytes is still refused.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sameBytes = `${id}.${mac.slice(0, -1)}${alphabet[alphabet.indexOf(mac.at(-1) as string) ^ 1]}`;
    expect(Buffer.from(sameBytes.split(".")[1], "base64url")).toEqual(Buffer.from(mac, "base64url"));
    expect(verifySubmissionToken(sameBytes, secret)).toBeNull();
    expect(verifySubmissionToken(token, `${secret}x`)).toBeNull();
    for (const bad of ["", id, `${id}.`, `.${mac}`, "sub_01HZY8Q4K7M2", `${token}.extra`, `${id} .${mac}`]) {
      expect(verifySubmissionToken(bad, secret)).toBeNull();
    }
  });
});
