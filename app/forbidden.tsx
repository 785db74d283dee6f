import Link from "next/link";

/** The 403 page: signed in, but this role may not see the page. */
export default function Forbidden() {
  return (
    <main aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">You do not have access to this page</h1>
      <p className="lede">Your role does not include it. Ask a manager if you need it.</p>
      <p>
        <Link href="/admin">Back to the failure queue</Link>
      </p>
    </main>
  );
}
