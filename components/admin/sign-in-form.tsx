"use client";

import { useActionState } from "react";
import type { SignInState } from "@/app/admin/sign-in/actions";

interface SignInFormProps {
  action: (previous: SignInState, form: FormData) => Promise<SignInState>;
  returnTo: string;
}

export function SignInForm({ action, returnTo }: SignInFormProps) {
  const [state, formAction, pending] = useActionState(action, { error: null, email: "" });
  return (
    <form action={formAction} className="stack" noValidate>
      <input type="hidden" name="next" value={returnTo} />
      <div className="field">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
        />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {state.error ? (
        <p role="alert" className="form-message">
          {state.error}
        </p>
      ) : null}
      <button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
