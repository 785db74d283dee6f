import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The audit chain's key ring: AUDIT_CHAIN_KEY, held by the application and never by the database. The first
 * key signs; every key verifies, so a key can be rotated (add the new one first, keep the old one while its
 * seals are still in the chain). Each seal names its key by an id derived from the key, never the key itself.
 */
export interface ChainKeys {
  signing: { id: string; key: string };
  byId: ReadonlyMap<string, string>;
}

export const keyIdOf = (key: string) =>
  createHash("sha256").update(`booking-handoff audit chain key:${key}`).digest("hex").slice(0, 16);

export function chainKeysOf(keys: readonly string[]): ChainKeys | null {
  if (keys.length === 0) return null;
  return {
    signing: { id: keyIdOf(keys[0]), key: keys[0] },
    byId: new Map(keys.map((key) => [keyIdOf(key), key])),
  };
}

export const chainMac = (key: string, text: string) =>
  createHmac("sha256", key).update(text, "utf8").digest("hex");

export function macEquals(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
