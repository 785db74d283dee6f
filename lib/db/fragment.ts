import type { Row, Sql } from "./database";

/**
 * Composable pieces of one parameterised statement, for queries whose WHERE and ORDER BY depend on
 * filters (the admin tables). Values stay parameters; the only text that is not from a template literal
 * is a sort direction from a closed set. Both drivers take the flattened result as a tagged template.
 */
export interface Fragment {
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
}

const FRAGMENT = Symbol("sql fragment");

const isFragment = (value: unknown): value is Fragment =>
  typeof value === "object" && value !== null && (value as { [FRAGMENT]?: true })[FRAGMENT] === true;

function makeFragment(strings: readonly string[], values: readonly unknown[]): Fragment {
  return Object.assign(Object.create(null), { strings, values, [FRAGMENT]: true });
}

export function fragment(strings: TemplateStringsArray, ...values: unknown[]): Fragment {
  return makeFragment([...strings], values);
}

export function direction(value: "asc" | "desc"): Fragment {
  return makeFragment([value === "asc" ? "asc" : "desc"], []);
}

export function joinFragments(parts: Fragment[], separator: "and" | ","): Fragment {
  if (parts.length === 0) return makeFragment([separator === "and" ? "true" : ""], []);
  const strings: string[] = [""];
  const values: unknown[] = [];
  parts.forEach((part, index) => {
    if (index > 0) strings[strings.length - 1] += ` ${separator} `;
    values.push(part);
    strings.push("");
  });
  return makeFragment(strings, values);
}

function flatten(piece: Fragment, strings: string[], values: unknown[]): void {
  strings[strings.length - 1] += piece.strings[0];
  piece.values.forEach((value, index) => {
    if (isFragment(value)) {
      flatten(value, strings, values);
    } else {
      values.push(value);
      strings.push("");
    }
    strings[strings.length - 1] += piece.strings[index + 1];
  });
}

/**
 * One template object per distinct statement text. Drivers treat a template's identity as its call site:
 * postgres.js keeps an Error per template object forever, so a fresh array per call leaked memory on every
 * query. The statement shapes are few (one per filter combination); the bound only guards against surprises.
 */
const templates = new Map<string, TemplateStringsArray>();
const MAX_TEMPLATES = 1000;

function templateFor(strings: string[]): TemplateStringsArray {
  const key = strings.join("\u0000");
  let template = templates.get(key);
  if (!template) {
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    template = Object.freeze(Object.assign([...strings], { raw: Object.freeze([...strings]) })) as unknown as TemplateStringsArray;
    templates.set(key, template);
  }
  return template;
}

export function runFragment<T extends object = Row>(sql: Sql, query: Fragment): Promise<T[]> {
  const strings: string[] = [""];
  const values: unknown[] = [];
  flatten(query, strings, values);
  return sql<T>(templateFor(strings), ...values);
}
