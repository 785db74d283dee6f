/** What a page receives as `searchParams` once awaited. */
export type SearchParams = Record<string, string | string[] | undefined>;

export interface PageSearchProps {
  searchParams: Promise<SearchParams>;
}

export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
