import { IntakeForm } from "@/components/intake-form";

/** The site's lead capture: a short form, then the lead picks a time on /book. */
export default function IntakePage() {
  return (
    <main aria-labelledby="intake-title">
      <h1 id="intake-title">Talk to our team</h1>
      <p className="lede">Tell us a little about you, then pick a time for a 30-minute intro call.</p>
      <div className="card">
        <IntakeForm />
      </div>
    </main>
  );
}
