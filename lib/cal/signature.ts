import { createHmac, timingSafeEqual } from "node:crypto";

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** What Cal.com puts in X-Cal-Signature-256: lowercase hex HMAC-SHA256 of the exact body bytes. */
export function signCalBody(body: string | Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/**
 * True when `header` is the HMAC of `body` under any of `secrets` (several during a rotation). Compared
 * as bytes in constant time; hex case is not significant. `no-secret-provided`, a missing header or an
 * empty secret list never verify.
 */
export function verifyCalSignature(
  body: Uint8Array,
  header: string | null,
  secrets: readonly string[],
): boolean {
  if (!header || !HEX_SHA256.test(header)) return false;
  const presented = Buffer.from(header, "hex");
  let verified = false;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(body).digest();
    // Check every secret, so the time taken does not tell which one matched.
    verified = timingSafeEqual(expected, presented) || verified;
  }
  return verified;
}
