"use client";

import { useActionState, useEffect } from "react";
import { type IntakeState, submitLead } from "@/app/submit-lead";

const INITIAL: IntakeState = { message: null, fieldErrors: {}, values: {} };
const FIELD_ORDER = ["name", "email", "phone", "company", "message"];

interface FieldProps {
  name: string;
  label: string;
  state: IntakeState;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  multiline?: boolean;
}

function Field({
  name,
  label,
  state,
  type = "text",
  required = false,
  autoComplete,
  multiline = false,
}: FieldProps) {
  const errors = state.fieldErrors[name];
  const errorId = `${name}-error`;
  const shared = {
    id: name,
    name,
    required,
    autoComplete,
    defaultValue: state.values[name] ?? "",
    "aria-invalid": errors ? true : undefined,
    "aria-describedby": errors ? errorId : undefined,
  };
  return (
    <div className="field">
      <label htmlFor={name}>
        {label}
        {!required && <span className="optional"> (optional)</span>}
      </label>
      {multiline ? <textarea rows={4} {...shared} /> : <input type={type} {...shared} />}
      {errors && (
        <p id={errorId} className="field-error">
          {errors[0]}
        </p>
      )}
    </div>
  );
}

/** Works without JavaScript too: the form posts to the server action and the page re-renders with errors. */
export function IntakeForm() {
  const [state, formAction, pending] = useActionState(submitLead, INITIAL);
  useEffect(() => {
    if (state.bookingUrl) window.location.assign(state.bookingUrl);
  }, [state.bookingUrl]);
  // After a refused submit the keyboard goes to what needs fixing: the first field in error, else the
  // message.
  useEffect(() => {
    if (state === INITIAL || state.bookingUrl) return;
    const invalid = FIELD_ORDER.find((name) => state.fieldErrors[name]);
    document.getElementById(invalid ?? "form-message")?.focus();
  }, [state]);
  return (
    <form
      action={formAction}
      className="intake"
      noValidate
      aria-describedby={state.message ? "form-message" : undefined}
    >
      {state.message && (
        <p id="form-message" role="alert" className="form-message" tabIndex={-1}>
          {state.message}
        </p>
      )}
      <Field name="name" label="Name" state={state} required autoComplete="name" />
      <Field name="email" label="Work email" type="email" state={state} required autoComplete="email" />
      <Field name="phone" label="Phone" type="tel" state={state} autoComplete="tel" />
      <Field name="company" label="Company" state={state} autoComplete="organization" />
      <Field name="message" label="What would you like to discuss?" state={state} multiline />
      <div className="honeypot" aria-hidden="true">
        <label htmlFor="website">Website</label>
        <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" />
      </div>
      <button type="submit" disabled={pending || !!state.bookingUrl}>
        {state.bookingUrl ? "Opening the scheduler…" : pending ? "Sending…" : "Continue to booking"}
      </button>
    </form>
  );
}
