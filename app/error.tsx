"use client";

/** Replaces Next's built-in error page, whose inline styles the Content-Security-Policy would block. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p className="lede">The page could not be shown. Please try again in a moment.</p>
      <button type="button" onClick={() => reset()}>
        Try again
      </button>
    </main>
  );
}
