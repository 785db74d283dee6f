import { createHash, timingSafeEqual } from "node:crypto";

/** `Authorization: Bearer <secret>` as schedulers such as Vercel Cron send it, compared in constant time. */
export function hasBearerSecret(headers: Headers, secret: string): boolean {
  const presented = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1] ?? "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(secret)) && presented.length > 0;
}
