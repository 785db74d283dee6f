import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * The id that ties a request's log lines to its audit entries: the one a proxy in front set, when it looks
 * like an id (a client's arbitrary text is not copied into logs), else a new one.
 */
export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : randomUUID();
}
