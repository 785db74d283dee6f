import { CopyButton } from "./copy-button";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Objects this deep and deeper start folded: the envelope and the payload's fields show, nested detail waits.
 */
const OPEN_DEPTH = 2;

/** Past any of these the tree is not drawn: each value is a few elements, and nesting costs layout depth. */
export const TREE_VIEW_LIMITS = { depth: 16, values: 2000, characters: 64 * 1024 };
const RAW_PREVIEW_CHARACTERS = 16 * 1024;

export type TreeFit = { fits: true } | { fits: false; why: string };

/** Whether a parsed body can be drawn as a tree; walks it without recursion and stops at the first limit. */
export function fitsTreeView(value: Json, limits = TREE_VIEW_LIMITS): TreeFit {
  const pending: [Json, number][] = [[value, 0]];
  let values = 0;
  let characters = 0;
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    values += 1;
    if (depth > limits.depth) return { fits: false, why: `it is nested deeper than ${limits.depth} levels` };
    if (values > limits.values) return { fits: false, why: `it holds more than ${limits.values} values` };
    if (typeof item === "string") characters += item.length;
    else if (Array.isArray(item)) for (const child of item) pending.push([child, depth + 1]);
    else if (item !== null && typeof item === "object") {
      for (const [key, child] of Object.entries(item)) {
        characters += key.length;
        pending.push([child, depth + 1]);
      }
    }
    if (characters > limits.characters)
      return { fits: false, why: `its text is longer than ${limits.characters} characters` };
  }
  return { fits: true };
}

function parse(raw: string): { ok: true; value: Json } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) as Json };
  } catch {
    return { ok: false };
  }
}

function Scalar({ value }: { value: Exclude<Json, Json[] | { [key: string]: Json }> }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === "string") return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="json-number">{String(value)}</span>;
  return <span className="json-boolean">{String(value)}</span>;
}

function Key({ name }: { name?: string }) {
  return name === undefined ? null : (
    <>
      <span className="json-key">{JSON.stringify(name)}</span>:{" "}
    </>
  );
}

function JsonNode({ name, value, depth }: { name?: string; value: Json; depth: number }) {
  if (value === null || typeof value !== "object") {
    return (
      <div className="json-line">
        <Key name={name} />
        <Scalar value={value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string, Json][] = isArray
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <div className="json-line">
        <Key name={name} />
        {open}
        {close}
      </div>
    );
  }
  return (
    <details className="json-node" open={depth < OPEN_DEPTH}>
      <summary data-close={close}>
        <Key name={name} />
        {open}
        <span className="json-count">
          {" "}
          {entries.length}{" "}
          {isArray ? (entries.length === 1 ? "item" : "items") : entries.length === 1 ? "key" : "keys"}{" "}
        </span>
      </summary>
      <div className="json-children">
        {entries.map(([key, item]) => (
          <JsonNode key={key} name={isArray ? undefined : key} value={item} depth={depth + 1} />
        ))}
      </div>
      <div className="json-line">{close}</div>
    </details>
  );
}

/**
 * A stored body as foldable, highlighted JSON (works without JavaScript). A body that is not JSON, or that
 * passes a limit of the tree view (an unsigned body may be built to freeze the page), is shown as the start
 * of its raw text, with a download of the whole body.
 */
export function JsonView({ raw, label, downloadHref }: { raw: string; label: string; downloadHref: string }) {
  const parsed = parse(raw);
  const fit = parsed.ok ? fitsTreeView(parsed.value) : ({ fits: false, why: "it is not JSON" } as const);
  if (parsed.ok && fit.fits) {
    return (
      <div className="json-view">
        <div className="row">
          <CopyButton value={raw} label={label} />
          <a href={downloadHref}>Download</a>
        </div>
        <div className="payload json-tree" role="group" aria-label={label}>
          <JsonNode value={parsed.value} depth={0} />
        </div>
      </div>
    );
  }
  const shown = raw.slice(0, RAW_PREVIEW_CHARACTERS);
  return (
    <div className="json-view">
      <p className="muted">
        Shown as text because {fit.fits ? "it is not JSON" : fit.why}
        {shown.length < raw.length
          ? `; the first ${shown.length.toLocaleString("en")} of ${raw.length.toLocaleString("en")} characters`
          : ""}
        . <a href={downloadHref}>Download the whole body</a>
      </p>
      <pre className="payload" tabIndex={0} aria-label={label}>
        {shown}
      </pre>
    </div>
  );
}
