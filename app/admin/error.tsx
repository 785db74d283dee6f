"use client";

/**
 * The console's error state: the data could not be loaded (the database may be down); nothing was changed.
 */
export default function ConsoleError({ reset }: { error: Error; reset: () => void }) {
  return (
    <main aria-labelledby="console-error-title">
      <h1 id="console-error-title">The console could not load this page</h1>
      <p className="lede">Nothing was changed. The database may be unreachable; try again in a moment.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
