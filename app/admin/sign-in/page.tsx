import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/admin/sign-in-form";
import { currentStaff } from "@/lib/auth/current-staff";
import { safeReturnPath } from "@/lib/auth/return-path";
import type { PageSearchProps } from "@/lib/http/search-params";
import { serverEnv, supabaseSettings } from "@/lib/env";
import { signIn } from "./actions";

export const metadata: Metadata = { title: "Sign in · Booking Handoff" };

export default async function SignInPage({ searchParams }: PageSearchProps) {
  const returnTo = safeReturnPath((await searchParams).next);
  if (await currentStaff()) redirect(returnTo);
  const viaSupabase = supabaseSettings(serverEnv()) !== null;
  return (
    <main className="narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to the console</h1>
      <p className="lede">
        {viaSupabase
          ? "Use your Supabase account."
          : "Use the staff account a manager created for you with npm run admin:user."}
      </p>
      <div className="card">
        <SignInForm action={signIn} returnTo={returnTo} />
      </div>
    </main>
  );
}
