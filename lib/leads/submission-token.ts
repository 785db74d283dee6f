import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The submission ID travels through the lead's browser and Cal.com, where anyone can edit it, so it
 * travels signed: `<id>.<mac>`, with mac = base64url(HMAC-SHA256(secret, id)).
 */
const SUBMISSION_ID = /^sub_[A-Za-z0-9_-]{16}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

export function newSubmissionId(): string {
  return `sub_${randomBytes(12).toString("base64url")}`;
}

function macOf(submissionId: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(submissionId).digest();
}

export function signSubmissionId(submissionId: string, secret: string): string {
  return `${submissionId}.${macOf(submissionId, secret).toString("base64url")}`;
}

/** The submission ID inside a token whose signature holds, or null for anything else. */
export function verifySubmissionToken(token: string, secret: string): string | null {
  const dot = token.lastIndexOf(".");
  if (dot < 0) return null;
  const submissionId = token.slice(0, dot);
  const mac = token.slice(dot + 1);
  if (!SUBMISSION_ID.test(submissionId) || !MAC.test(mac)) return null;
  // Compare the text, not decoded bytes: base64url's last character has spare bits, so decoding would
  // accept several spellings of one MAC.
  const expected = macOf(submissionId, secret).toString("base64url");
  return timingSafeEqual(Buffer.from(mac), Buffer.from(expected)) ? submissionId : null;
}
