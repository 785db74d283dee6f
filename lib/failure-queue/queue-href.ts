import type { QueueParams } from "./queue-params";

// Kept apart from the zod schema: the queue's client table builds links with it, and zod in a browser
// bundle probes for eval, which the CSP reports as a violation.
const DEFAULTS: Partial<Record<keyof QueueParams, unknown>> = {
  status: "open",
  sort: "received",
  dir: "desc",
  size: 25,
};

/** The query string for `params` with `changes` applied; any change other than paging starts at page one. */
export function queueHref(params: QueueParams, changes: Partial<QueueParams>): string {
  const paging = "after" in changes || "before" in changes;
  const next: Partial<QueueParams> = {
    ...params,
    ...(paging ? {} : { after: undefined, before: undefined }),
    ...changes,
  };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined || value === "" || DEFAULTS[key as keyof QueueParams] === value) continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `/admin?${text}` : "/admin";
}
