import sql, { Sql as Fragment, empty, join, raw } from "sql-template-tag";
import type { Row, Sql } from "./database";

/**
 * Statements composed at run time (the admin tables, whose WHERE and ORDER BY follow the filters), built with
 * sql-template-tag: nestable pieces whose values stay parameters. The only text that is not from a template
 * literal is a sort direction from a closed set. A composed statement runs as text with `$n` parameters,
 * which both drivers take without a template object of their own.
 */
export { Fragment, empty, sql as fragment };

export function direction(value: "asc" | "desc"): Fragment {
  return raw(value === "asc" ? "asc" : "desc");
}

/** Every condition joined with `and`; `true` when there is none. */
export function allOf(parts: readonly Fragment[]): Fragment {
  return parts.length === 0 ? raw("true") : join(parts, " and ");
}

export function runFragment<T extends object = Row>(handle: Sql, query: Fragment): Promise<T[]> {
  return handle.query<T>(query.text, query.values);
}
