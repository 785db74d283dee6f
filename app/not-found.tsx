/** Replaces Next's built-in 404, whose inline styles the Content-Security-Policy would block. */
export default function NotFound() {
  return (
    <main aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p className="lede">There is nothing at this address.</p>
      <p>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/">Go to the booking form</a>
      </p>
    </main>
  );
}
