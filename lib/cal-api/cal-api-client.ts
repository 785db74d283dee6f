import { z } from "zod";

/**
 * The slice of Cal.com's API v2 the backfill needs: GET /v2/bookings (version 2024-08-13), read page by
 * page. 429 waits for Retry-After, 5xx and network errors are retried with backoff, 401 stops at once.
 */
export interface CalApiConfig {
  baseUrl: string;
  apiKey: string;
  maxAttempts?: number;
  /** Injected by tests to observe waits; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

export class CalApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const bookingSchema = z
  .object({
    uid: z.string().min(1).max(200),
    status: z.string(),
    start: z.string().nullish(),
    end: z.string().nullish(),
    createdAt: z.string(),
    updatedAt: z.string().nullish(),
    title: z.string().nullish(),
    cancellationReason: z.string().nullish(),
    rescheduledFromUid: z.string().nullish(),
    rescheduledToUid: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    attendees: z
      .array(z.object({ name: z.string().nullish(), email: z.string().nullish() }).loose())
      .default([]),
  })
  .loose();

export type CalApiBooking = z.infer<typeof bookingSchema>;

const pageSchema = z.object({
  data: z.array(z.unknown()),
  pagination: z.object({ hasNextPage: z.boolean() }).loose().optional(),
});

export interface BookingsQuery {
  afterUpdatedAt?: string;
  bookingUid?: string;
  take: number;
  skip: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 120) * 1000;
  const date = header ? Date.parse(header) : Number.NaN;
  return Number.isNaN(date) ? 5_000 : Math.min(Math.max(0, date - Date.now()), 120_000);
}

async function getJson(config: CalApiConfig, path: string, query: Record<string, string>): Promise<unknown> {
  const url = new URL(path, config.baseUrl);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const sleep = config.sleep ?? defaultSleep;
  const attempts = config.maxAttempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${config.apiKey}`, "cal-api-version": "2024-08-13" },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      if (attempt >= attempts)
        throw new CalApiError(
          0,
          `Cal.com's API could not be reached (${error instanceof Error ? error.name : "error"})`,
        );
      await sleep(1000 * 2 ** (attempt - 1));
      continue;
    }
    if (response.ok) return response.json();
    if (response.status === 401 || response.status === 403) {
      throw new CalApiError(response.status, "Cal.com's API refused the key (check CAL_API_KEY)");
    }
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt >= attempts) {
      throw new CalApiError(response.status, `Cal.com's API answered ${response.status} for ${url.pathname}`);
    }
    await sleep(
      response.status === 429 ? retryAfterMs(response.headers.get("retry-after")) : 1000 * 2 ** (attempt - 1),
    );
  }
}

/** One page of bookings, oldest update first. Malformed entries are dropped and counted, never trusted. */
export async function listBookingsPage(config: CalApiConfig, query: BookingsQuery) {
  const params: Record<string, string> = {
    take: String(query.take),
    skip: String(query.skip),
    sortUpdatedAt: "asc",
  };
  if (query.afterUpdatedAt) params.afterUpdatedAt = query.afterUpdatedAt;
  if (query.bookingUid) params.bookingUid = query.bookingUid;
  const page = pageSchema.parse(await getJson(config, "/v2/bookings", params));
  const parsed = page.data.map((entry) => bookingSchema.safeParse(entry));
  return {
    bookings: parsed.filter((result) => result.success).map((result) => result.data),
    malformed: parsed.filter((result) => !result.success).length,
    hasNextPage: page.pagination?.hasNextPage ?? false,
  };
}
