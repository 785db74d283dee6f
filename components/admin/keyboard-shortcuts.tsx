"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * One key of a page. It opens `href`, or acts on the first element named by `target` (`data-key-action`
 * value or element id): a button is pressed, anything else takes the focus. A key with neither is handled by
 * the page itself (the queue table's j / k) and only listed here.
 */
export interface Shortcut {
  key: string;
  label: string;
  href?: string;
  target?: readonly string[];
}

export const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

function elementFor(name: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-key-action="${name}"]`) ?? document.getElementById(name);
}

function act(target: readonly string[]): boolean {
  const element = target.map(elementFor).find((found) => found !== null);
  if (!element) return false;
  if (element instanceof HTMLButtonElement) {
    if (element.disabled) return false;
    element.click();
  } else {
    element.focus();
  }
  return true;
}

/** The page's keys, and `?` for a list of them. Keys are ignored while typing or with a modifier held. */
export function KeyboardShortcuts({
  shortcuts,
  title,
  hint = true,
}: {
  shortcuts: readonly Shortcut[];
  title: string;
  hint?: boolean;
}) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey || dialog.current?.open)
        return;
      if (event.key === "?") {
        dialog.current?.showModal();
        event.preventDefault();
        return;
      }
      const shortcut = shortcuts.find((candidate) => candidate.key === event.key);
      if (!shortcut) return;
      if (shortcut.href) router.push(shortcut.href);
      else if (!shortcut.target || !act(shortcut.target)) return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router, shortcuts]);

  return (
    <>
      {hint ? (
        <p className="muted keys-hint">
          Press <kbd>?</kbd> for keyboard shortcuts.
        </p>
      ) : null}
      <dialog ref={dialog} className="shortcuts" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">{title}</h2>
        <dl>
          {shortcuts.map((shortcut) => (
            <div key={shortcut.key}>
              <dt>
                <kbd>{shortcut.key}</kbd>
              </dt>
              <dd>{shortcut.label}</dd>
            </div>
          ))}
          <div>
            <dt>
              <kbd>?</kbd>
            </dt>
            <dd>Show this list</dd>
          </div>
          <div>
            <dt>
              <kbd>Esc</kbd>
            </dt>
            <dd>Close it</dd>
          </div>
        </dl>
        <form method="dialog">
          <button type="submit" className="secondary" autoFocus>
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}
