import { serverEnv } from "../env";
import { clientAddress, forwardedOverHttps } from "../http/client-address";
import { requestIdOf } from "../http/request-id";

/**
 * Where a staff action came from, as the audit trail records it (a type, so it is a plain record for jsonb).
 */
export type RequestContext = {
  ip: string;
  userAgent: string | null;
  requestId: string;
};

export function requestContextOf(headers: Headers): RequestContext {
  return {
    ip: clientAddress(headers, serverEnv().TRUSTED_PROXY),
    userAgent: headers.get("user-agent")?.slice(0, 300) ?? null,
    requestId: requestIdOf(headers),
  };
}

/** The request came over HTTPS as a proxy TRUSTED_PROXY names says, so cookies can be Secure. */
export function isHttpsRequest(headers: Headers): boolean {
  return forwardedOverHttps(headers, serverEnv().TRUSTED_PROXY);
}

/** A browser's cross-site POST carries an Origin naming another host; refuse it before anything else. */
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (!origin) return true;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
