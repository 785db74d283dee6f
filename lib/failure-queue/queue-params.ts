import { z } from "zod";
import { FAILURE_REASONS, FAILURE_STATES } from "../db/queries/webhook-failures";
import { type SearchParams, flattenSearchParams, searchDay, searchText } from "../http/search-params";

/** The queue's status filter: one state, or all of them. */
export const FAILURE_STATUSES = [...FAILURE_STATES, "all"] as const;
export const QUEUE_SORTS = ["received", "event_time"] as const;
export const PAGE_SIZES = [25, 50, 100] as const;

const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);

/**
 * Everything the failure queue shows lives in the URL, so a view can be shared and the back button
 * works. Unknown or malformed values fall back to the defaults instead of failing the page.
 */
const queueParamsSchema = z.object({
  status: z.enum(FAILURE_STATUSES).catch("open"),
  reason: z.enum(FAILURE_REASONS).optional().catch(undefined),
  trigger: z
    .string()
    .regex(/^[A-Z_]{1,40}$/)
    .optional()
    .catch(undefined),
  from: searchDay,
  to: searchDay,
  q: searchText,
  sort: z.enum(QUEUE_SORTS).catch("received"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  size: z.coerce
    .number()
    .pipe(z.union(PAGE_SIZES.map((size) => z.literal(size))))
    .catch(25),
  after: cursor.optional().catch(undefined),
  before: cursor.optional().catch(undefined),
});

export type QueueParams = z.infer<typeof queueParamsSchema>;

export function parseQueueParams(search: SearchParams): QueueParams {
  return queueParamsSchema.parse(flattenSearchParams(search));
}
