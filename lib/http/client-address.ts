import { isIP } from "node:net";

/**
 * How the app is reached, and so which header names the client (TRUSTED_PROXY):
 * - `none`: nothing in front; the TCP peer `npm start` records (a client's own X-Forwarded-For is ignored);
 * - a number N: behind N proxies that each append to X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`,
 *   AWS ALB, Cloudflare then nginx = 2); the client is the N-th entry from the right, the last one no client
 *   can write;
 * - `vercel`: Vercel's `x-vercel-forwarded-for`, which its edge sets and a client cannot;
 * - `cloudflare`: `cf-connecting-ip`, trustworthy only when the origin accepts Cloudflare's addresses alone.
 */
export type TrustedProxy =
  { kind: "none" } | { kind: "proxies"; count: number } | { kind: "vercel" } | { kind: "cloudflare" };

export const UNKNOWN_CLIENT = "unknown";

export function parseTrustedProxy(value: string): TrustedProxy | null {
  if (value === "none" || value === "vercel" || value === "cloudflare") return { kind: value };
  return /^[1-9]$/.test(value) ? { kind: "proxies", count: Number(value) } : null;
}

const forwardedEntries = (headers: Headers, name = "x-forwarded-for") =>
  (headers.get(name) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);

/** The address as given, if it is an IP address; anything else says nothing about the client. */
function addressOrUnknown(value: string | null | undefined): string {
  const candidate = value?.trim().replace(/^\[(.*)\]$/, "$1") ?? "";
  return isIP(candidate) ? candidate : UNKNOWN_CLIENT;
}

/** The name of the header `npm start` (server.mjs) writes the TCP peer into, when it is the server. */
const peerHeader = () => process.env.BOOKING_HANDOFF_PEER_HEADER;

/** Whether this deployment can tell clients apart under `none` (it can once server.mjs runs it). */
export function knowsPeerAddress(): boolean {
  return peerHeader() !== undefined;
}

/**
 * The client's address as this deployment can vouch for it: rate limits, lockouts and the audit trail use it.
 */
export function clientAddress(headers: Headers, trusted: TrustedProxy): string {
  switch (trusted.kind) {
    case "none": {
      const header = peerHeader();
      // Under plain `next start` the best left is the entry Next adds from the socket when a client sends
      // none.
      return addressOrUnknown(header ? headers.get(header) : forwardedEntries(headers).at(-1));
    }
    case "proxies": {
      const entries = forwardedEntries(headers);
      return addressOrUnknown(entries[Math.max(0, entries.length - trusted.count)]);
    }
    case "vercel":
      return addressOrUnknown(
        headers.get("x-vercel-forwarded-for")?.split(",")[0] ?? headers.get("x-real-ip"),
      );
    case "cloudflare":
      return addressOrUnknown(headers.get("cf-connecting-ip"));
  }
}

/**
 * Whether the client reached the first proxy over HTTPS, as far as TRUSTED_PROXY lets us believe
 * X-Forwarded-Proto (which a client can send, and which `next start` keeps): with nothing in front we serve
 * plain HTTP whatever the header says; behind N proxies the entry the outermost one wrote, by the same count as
 * the address; on Vercel and Cloudflare the entry their edge wrote last.
 */
export function forwardedOverHttps(headers: Headers, trusted: TrustedProxy): boolean {
  const entries = forwardedEntries(headers, "x-forwarded-proto");
  switch (trusted.kind) {
    case "none":
      return false;
    case "proxies":
      return entries[Math.max(0, entries.length - trusted.count)] === "https";
    case "vercel":
    case "cloudflare":
      return entries.at(-1) === "https";
  }
}
