import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The submission ID travels through the lead's browser and Cal.com, where anyone can edit it, so it travels
 * signed, with its expiry inside the MAC: `<id>.<expires>.<mac>`, expires in base-36 seconds since the epoch,
 * mac = base64url(HMAC-SHA256(secret, "<id>.<expires>")). Tokens are signed with the first secret and checked
 * against every one, so a secret can be rotated without breaking links in flight. Tokens issued before expiry
 * existed (`<id>.<mac>`) still verify; the booking page ages them by their lead's creation time.
 */
export interface SubmissionTokenKeys {
  secrets: readonly string[];
  ttlDays: number;
}

export type TokenCheck =
  | { status: "valid"; submissionId: string; expiresAt: Date | null }
  | { status: "expired"; submissionId: string; expiresAt: Date }
  | { status: "invalid" };

const SUBMISSION_ID = /^sub_[A-Za-z0-9_-]{16}$/;
const EXPIRES = /^[0-9a-z]{1,10}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;

export function newSubmissionId(): string {
  return `sub_${randomBytes(12).toString("base64url")}`;
}

const macOf = (signed: string, secret: string) =>
  createHmac("sha256", secret).update(signed).digest("base64url");

export function issueSubmissionToken(
  submissionId: string,
  keys: SubmissionTokenKeys,
  now = Date.now(),
): string {
  const expires = Math.floor((now + keys.ttlDays * DAY_MS) / 1000).toString(36);
  const signed = `${submissionId}.${expires}`;
  return `${signed}.${macOf(signed, keys.secrets[0])}`;
}

// Compare the text, not decoded bytes: base64url's last character has spare bits, so decoding would accept
// several spellings of one MAC. Every secret is tried, so the time taken does not tell which one matched.
function macMatches(signed: string, mac: string, secrets: readonly string[]): boolean {
  let matched = false;
  for (const secret of secrets)
    matched = timingSafeEqual(Buffer.from(mac), Buffer.from(macOf(signed, secret))) || matched;
  return matched;
}

/** What a token proves: a submission ID and whether it is still within its time, or nothing at all. */
export function checkSubmissionToken(token: string, keys: SubmissionTokenKeys, now = Date.now()): TokenCheck {
  const parts = token.split(".");
  const [submissionId] = parts;
  if (!SUBMISSION_ID.test(submissionId) || keys.secrets.length === 0) return { status: "invalid" };
  if (parts.length === 2) {
    if (!MAC.test(parts[1]) || !macMatches(submissionId, parts[1], keys.secrets))
      return { status: "invalid" };
    return { status: "valid", submissionId, expiresAt: null };
  }
  if (parts.length !== 3 || !EXPIRES.test(parts[1]) || !MAC.test(parts[2])) return { status: "invalid" };
  if (!macMatches(`${submissionId}.${parts[1]}`, parts[2], keys.secrets)) return { status: "invalid" };
  const expiresAt = new Date(parseInt(parts[1], 36) * 1000);
  return expiresAt.getTime() > now
    ? { status: "valid", submissionId, expiresAt }
    : { status: "expired", submissionId, expiresAt };
}

/** A legacy token's age limit: its lead's creation plus the configured lifetime. */
export function legacyTokenExpiry(leadCreatedAt: Date, keys: SubmissionTokenKeys): Date {
  return new Date(leadCreatedAt.getTime() + keys.ttlDays * DAY_MS);
}
