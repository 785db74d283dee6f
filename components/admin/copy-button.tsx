"use client";

import { useEffect, useState } from "react";

type CopyState = "idle" | "copied" | "failed";

/** Copies one value (a uid, a token, a hash) and says so where a screen reader hears it. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<CopyState>("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setState("copied"),
      () => setState("failed"),
    );

  return (
    <>
      <button
        type="button"
        className="copy-button"
        aria-label={`Copy ${label}`}
        title={`Copy ${label}`}
        onClick={copy}
      >
        {state === "copied" ? "Copied" : "Copy"}
      </button>
      <span role="status" className="visually-hidden">
        {state === "copied"
          ? `${label} copied`
          : state === "failed"
            ? `Could not copy the ${label}: select it instead`
            : ""}
      </span>
    </>
  );
}

/** A value in code type with its copy button beside it. */
export function CopyableCode({ value, label }: { value: string; label: string }) {
  return (
    <span className="copyable">
      <code>{value}</code> <CopyButton value={value} label={label} />
    </span>
  );
}
