import { CopyButton } from "./copy-button";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Objects this deep and deeper start folded: the envelope and the payload's fields show, nested detail waits.
 */
const OPEN_DEPTH = 2;

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
 * A stored body as foldable, highlighted JSON (works without JavaScript); a body that is not JSON, as text.
 */
export function JsonView({ raw, label }: { raw: string; label: string }) {
  const parsed = parse(raw);
  return (
    <div className="json-view">
      <div className="row">
        <CopyButton value={raw} label={label} />
      </div>
      {parsed.ok ? (
        <div className="payload json-tree" role="group" aria-label={label}>
          <JsonNode value={parsed.value} depth={0} />
        </div>
      ) : (
        <pre className="payload" tabIndex={0}>
          {raw}
        </pre>
      )}
    </div>
  );
}
