import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkSubmissionToken,
  issueSubmissionToken,
  legacyTokenExpiry,
  newSubmissionId,
} from "@/lib/leads/submission-token";

const secret = "a-submission-secret-that-is-long-enough-123";
const keys = { secrets: [secret], ttlDays: 30 };
const NOW = Date.UTC(2026, 11, 1, 12);
const DAY = 86_400_000;

describe("signed submission token", () => {
  const id = newSubmissionId();
  const token = issueSubmissionToken(id, keys, NOW);

  it("round-trips with its expiry and fits Cal.com's metadata value limit", () => {
    expect(checkSubmissionToken(token, keys, NOW)).toEqual({
      status: "valid",
      submissionId: id,
      expiresAt: new Date(NOW + 30 * DAY),
    });
    expect(token.length).toBeLessThanOrEqual(500);
    expect(token).toMatch(/^sub_[A-Za-z0-9_-]{16}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
  });

  it("expires after SUBMISSION_TOKEN_TTL_DAYS, and the expiry cannot be edited", () => {
    expect(checkSubmissionToken(token, keys, NOW + 30 * DAY + 1000)).toMatchObject({
      status: "expired",
      submissionId: id,
    });
    const [, expires, mac] = token.split(".");
    const later = (parseInt(expires, 36) + 86_400 * 365).toString(36);
    expect(checkSubmissionToken(`${id}.${later}.${mac}`, keys, NOW + 31 * DAY)).toEqual({
      status: "invalid",
    });
  });

  it("rotates: signed with the first secret, verified with any in the list", () => {
    const rotated = { secrets: ["a-brand-new-secret-that-is-long-enough-456", secret], ttlDays: 30 };
    expect(checkSubmissionToken(token, rotated, NOW)).toMatchObject({ status: "valid", submissionId: id });
    const fresh = issueSubmissionToken(id, rotated, NOW);
    expect(
      checkSubmissionToken(
        fresh,
        { secrets: ["a-brand-new-secret-that-is-long-enough-456"], ttlDays: 30 },
        NOW,
      ).status,
    ).toBe("valid");
    expect(checkSubmissionToken(fresh, keys, NOW)).toEqual({ status: "invalid" });
  });

  it("still accepts a token issued before expiry existed; its age comes from the lead", () => {
    const legacy = `${id}.${createHmac("sha256", secret).update(id).digest("base64url")}`;
    expect(checkSubmissionToken(legacy, keys, NOW)).toEqual({
      status: "valid",
      submissionId: id,
      expiresAt: null,
    });
    expect(legacyTokenExpiry(new Date(NOW), keys)).toEqual(new Date(NOW + 30 * DAY));
  });

  it("rejects another lead's ID with this lead's MAC", () => {
    const [, expires, mac] = token.split(".");
    expect(checkSubmissionToken(`${newSubmissionId()}.${expires}.${mac}`, keys, NOW)).toEqual({
      status: "invalid",
    });
  });

  it("rejects a flipped MAC character, another spelling of the same bytes, a wrong secret, and malformed tokens", () => {
    const [, expires, mac] = token.split(".");
    const flipped = `${id}.${expires}.${mac[0] === "A" ? "B" : "A"}${mac.slice(1)}`;
    expect(checkSubmissionToken(flipped, keys, NOW).status).toBe("invalid");
    // The last character carries two spare bits: another spelling of the same bytes is still refused.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sameBytes = `${mac.slice(0, -1)}${alphabet[alphabet.indexOf(mac.at(-1) as string) ^ 1]}`;
    expect(Buffer.from(sameBytes, "base64url")).toEqual(Buffer.from(mac, "base64url"));
    expect(checkSubmissionToken(`${id}.${expires}.${sameBytes}`, keys, NOW).status).toBe("invalid");
    expect(checkSubmissionToken(token, { secrets: [`${secret}x`], ttlDays: 30 }, NOW).status).toBe("invalid");
    expect(checkSubmissionToken(token, { secrets: [], ttlDays: 30 }, NOW).status).toBe("invalid");
    for (const bad of [
      "",
      id,
      `${id}.`,
      `.${mac}`,
      "sub_01HZY8Q4K7M2",
      `${token}.extra`,
      `${id} .${expires}.${mac}`,
      `${id}.ZZ.${mac}`,
    ]) {
      expect(checkSubmissionToken(bad, keys, NOW).status).toBe("invalid");
    }
  });
});
