import { z } from "zod";

/** What a page receives as `searchParams` once awaited. */
export type SearchParams = Record<string, string | string[] | undefined>;

export interface PageSearchProps {
  searchParams: Promise<SearchParams>;
}

export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Each parameter's first value, for a schema to read. */
export function flattenSearchParams(search: SearchParams): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(search).map(([key, value]) => [key, firstValue(value)]));
}

/**
 * A calendar day that exists (`2024-02-29`, not `2024-02-31`, which JavaScript would quietly roll into
 * March), in years PostgreSQL and people both read the same way (it has no year 0).
 */
export const isCalendarDay = (value: string) =>
  /^[1-9]\d{3}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

/** A `from`/`to` day filter: ignored unless it names a real day. */
export const searchDay = z.string().refine(isCalendarDay).optional().catch(undefined);

// Control characters (NUL among them, which PostgreSQL text cannot hold) never belong in a search.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/**
 * Free text typed into a search box: control characters dropped, trimmed, at most 200 characters; empty is
 * none.
 */
export const searchText = z
  .string()
  .optional()
  .catch(undefined)
  .transform((value) => value?.replace(CONTROL_CHARACTERS, "").trim().slice(0, 200) || undefined);
