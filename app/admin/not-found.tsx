import Link from "next/link";

/** A console address with nothing behind it: said inside the console, with the way back into it. */
export default function ConsoleNotFound() {
  return (
    <main aria-labelledby="console-not-found-title">
      <h1 id="console-not-found-title">Nothing here</h1>
      <p className="lede">
        This console address has no page, or the item it names does not exist (it may have been purged after
        its retention period).
      </p>
      <ul>
        <li>
          <Link href="/admin">The failure queue</Link>
        </li>
        <li>
          <Link href="/admin/leads">Leads</Link>
        </li>
      </ul>
    </main>
  );
}
