import { describe, expect, it } from "vitest";
import { signCalBody, verifyCalSignature } from "@/lib/cal/signature";

const secret = "whsec_current";
const body =
  '{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-03-02T09:14:07.512Z","payload":{"uid":"abc"}}';
const bytes = Buffer.from(body);
const valid = signCalBody(body, secret);

describe("Cal.com webhook signature", () => {
  it("is the lowercase hex HMAC-SHA256 of the raw body", () => {
    expect(valid).toMatch(/^[0-9a-f]{64}$/);
    // Independently computed: printf '%s' "$body" | openssl dgst -sha256 -hmac whsec_current
    expect(signCalBody("hello", "key")).toBe(
      "9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b",
    );
  });

  it("accepts a valid signature", () => {
    expect(verifyCalSignature(bytes, valid, [secret])).toBe(true);
  });

  it("rejects a tampered body", () => {
    expect(verifyCalSignature(Buffer.from(body.replace("abc", "abd")), valid, [secret])).toBe(false);
  });

  it("rejects a signature made with another secret", () => {
    expect(verifyCalSignature(bytes, signCalBody(body, "whsec_other"), [secret])).toBe(false);
  });

  it("accepts the second secret during a rotation, and either order", () => {
    const old = signCalBody(body, "whsec_old");
    expect(verifyCalSignature(bytes, old, [secret, "whsec_old"])).toBe(true);
    expect(verifyCalSignature(bytes, valid, ["whsec_old", secret])).toBe(true);
    expect(verifyCalSignature(bytes, old, [secret])).toBe(false);
  });

  it("accepts uppercase hex: hex case carries no information", () => {
    expect(verifyCalSignature(bytes, valid.toUpperCase(), [secret])).toBe(true);
  });

  it("rejects a missing header, the literal no-secret-provided, and malformed hex", () => {
    expect(verifyCalSignature(bytes, null, [secret])).toBe(false);
    expect(verifyCalSignature(bytes, "", [secret])).toBe(false);
    expect(verifyCalSignature(bytes, "no-secret-provided", [secret])).toBe(false);
    expect(verifyCalSignature(bytes, valid.slice(0, 63), [secret])).toBe(false);
    expect(verifyCalSignature(bytes, `${valid}00`, [secret])).toBe(false);
    expect(verifyCalSignature(bytes, `sha256=${valid}`, [secret])).toBe(false);
  });

  it("rejects an empty body signed for another body, and verifies an empty body signed as such", () => {
    expect(verifyCalSignature(new Uint8Array(0), valid, [secret])).toBe(false);
    expect(verifyCalSignature(new Uint8Array(0), signCalBody("", secret), [secret])).toBe(true);
  });

  it("rejects the same JSON re-serialised with different whitespace", () => {
    const respaced = JSON.stringify(JSON.parse(body), null, 2);
    expect(verifyCalSignature(Buffer.from(respaced), valid, [secret])).toBe(false);
  });

  it("never verifies when no secret is configured", () => {
    expect(verifyCalSignature(bytes, valid, [])).toBe(false);
  });
});
