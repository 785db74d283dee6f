import { afterEach, describe, expect, it } from "vitest";
import {
  UNKNOWN_CLIENT,
  clientAddress,
  forwardedOverHttps,
  parseTrustedProxy,
} from "@/lib/http/client-address";
import { parseServerEnv } from "@/lib/env";

const headers = (values: Record<string, string>) => new Headers(values);
const PEER = "x-booking-handoff-peer";

afterEach(() => {
  delete process.env.BOOKING_HANDOFF_PEER_HEADER;
});

describe("the client address a deployment can vouch for", () => {
  it("none, under npm start: the TCP peer, whatever X-Forwarded-For the client sends", () => {
    process.env.BOOKING_HANDOFF_PEER_HEADER = PEER;
    const none = parseTrustedProxy("none")!;
    expect(clientAddress(headers({ [PEER]: "203.0.113.9", "x-forwarded-for": "1.1.1.1" }), none)).toBe(
      "203.0.113.9",
    );
    expect(clientAddress(headers({ [PEER]: "::ffff:203.0.113.9" }), none)).toBe("::ffff:203.0.113.9");
    expect(clientAddress(headers({ "x-forwarded-for": "1.1.1.1" }), none)).toBe(UNKNOWN_CLIENT);
  });

  it("behind N appending proxies: the N-th entry from the right, so a client's own entries count for nothing", () => {
    const one = parseTrustedProxy("1")!;
    const two = parseTrustedProxy("2")!;
    expect(clientAddress(headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.7" }), one)).toBe("198.51.100.7");
    expect(clientAddress(headers({ "x-forwarded-for": "6.6.6.6,7.7.7.7, 198.51.100.7" }), one)).toBe(
      "198.51.100.7",
    );
    expect(clientAddress(headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 172.64.0.1" }), two)).toBe(
      "198.51.100.7",
    );
    // Reached without the proxy (Next fills in the socket address when a client sends none).
    expect(clientAddress(headers({ "x-forwarded-for": "10.0.0.5" }), two)).toBe("10.0.0.5");
    expect(clientAddress(headers({}), one)).toBe(UNKNOWN_CLIENT);
  });

  it("a platform's own header on Vercel and Cloudflare; a spoofed X-Forwarded-For is ignored", () => {
    expect(
      clientAddress(headers({ "x-vercel-forwarded-for": "198.51.100.8", "x-forwarded-for": "6.6.6.6" }), {
        kind: "vercel",
      }),
    ).toBe("198.51.100.8");
    expect(
      clientAddress(headers({ "cf-connecting-ip": "2001:db8::1", "x-forwarded-for": "6.6.6.6" }), {
        kind: "cloudflare",
      }),
    ).toBe("2001:db8::1");
  });

  it("anything that is not an IP address says nothing about the client", () => {
    const one = parseTrustedProxy("1")!;
    for (const junk of ["10.0.0.9;=1+1", "unknown", "<script>", "1.2.3.4.5", "a".repeat(500)]) {
      expect(clientAddress(headers({ "x-forwarded-for": junk }), one)).toBe(UNKNOWN_CLIENT);
    }
  });

  it("X-Forwarded-Proto counts only as far as TRUSTED_PROXY vouches for it (#25: a client picked the cookie's name)", () => {
    const proto = (value: string) => headers({ "x-forwarded-proto": value });
    expect(forwardedOverHttps(proto("https"), parseTrustedProxy("none")!)).toBe(false);
    expect(forwardedOverHttps(proto("https"), parseTrustedProxy("1")!)).toBe(true);
    // A client's own value comes first; the proxy it reached appends the scheme it really used.
    expect(forwardedOverHttps(proto("https, http"), parseTrustedProxy("1")!)).toBe(false);
    expect(forwardedOverHttps(proto("http, https, http"), parseTrustedProxy("2")!)).toBe(true);
    expect(forwardedOverHttps(proto("https,http"), { kind: "vercel" })).toBe(false);
    expect(forwardedOverHttps(proto("https"), { kind: "cloudflare" })).toBe(true);
    expect(forwardedOverHttps(headers({}), parseTrustedProxy("1")!)).toBe(false);
  });

  it("TRUSTED_PROXY is checked at start: none by default, a clear error for anything else", () => {
    expect(parseServerEnv({}).TRUSTED_PROXY).toEqual({ kind: "none" });
    expect(parseServerEnv({ VERCEL: "1" }).TRUSTED_PROXY).toEqual({ kind: "vercel" });
    expect(parseServerEnv({ VERCEL: "1", TRUSTED_PROXY: "cloudflare" }).TRUSTED_PROXY).toEqual({
      kind: "cloudflare",
    });
    expect(parseServerEnv({ TRUSTED_PROXY: "2" }).TRUSTED_PROXY).toEqual({ kind: "proxies", count: 2 });
    expect(() => parseServerEnv({ TRUSTED_PROXY: "all" })).toThrow(
      /TRUSTED_PROXY must be none, a number of proxies/,
    );
    expect(() => parseServerEnv({ TRUSTED_PROXY: "0" })).toThrow(/TRUSTED_PROXY/);
  });
});

describe("secrets", () => {
  it("refuses a webhook secret shorter than 16 characters, and says a comma separates secrets", () => {
    expect(() => parseServerEnv({ CAL_WEBHOOK_SECRET: "short" })).toThrow(
      /CAL_WEBHOOK_SECRET \(comma-separated\) must be at least 16/,
    );
    expect(() => parseServerEnv({ CAL_WEBHOOK_SECRET: "a-long-enough-secret,xyz" })).toThrow(/at least 16/);
    expect(
      parseServerEnv({ CAL_WEBHOOK_SECRET: "a-long-enough-secret, another-long-secret" }).CAL_WEBHOOK_SECRET,
    ).toEqual(["a-long-enough-secret", "another-long-secret"]);
  });
});
