import { createHash, randomBytes } from "node:crypto";

/** A session token is 256 random bits; the database only ever sees its SHA-256. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sessionTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * `__Host-` binds the cookie to this exact origin over HTTPS; plain HTTP (local runs, tests) cannot use it.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-bh_session" : "bh_session";
}
