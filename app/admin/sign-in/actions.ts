"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { isHttpsRequest, isSameOrigin, requestContextOf } from "@/lib/auth/request-context";
import { safeReturnPath } from "@/lib/auth/return-path";
import { sessionCookieName } from "@/lib/auth/session-token";
import { signInWithPassword } from "@/lib/auth/sign-in-with-password";
import { logSignIn } from "@/lib/auth/log-sign-in";
import { signInWithSupabase } from "@/lib/auth/sign-in-with-supabase";
import { getDatabase } from "@/lib/db/client";
import { serverEnv, supabaseSettings } from "@/lib/env";
import { SINGLE_LINE } from "@/lib/http/plain-text";

export interface SignInState {
  error: string | null;
  email: string;
}

const credentialsSchema = z.object({
  email: z.string().trim().min(3).max(320).regex(SINGLE_LINE),
  password: z.string().min(1).max(1024),
});

const MESSAGES = {
  invalid: "That email and password do not match an active account.",
  locked: "Too many failed attempts. Wait 15 minutes and try again.",
  no_access: "This account has no access to the console. Ask a manager to add you.",
} as const;

export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const requestHeaders = await headers();
  const email = String(form.get("email") ?? "").slice(0, 320);
  if (!isSameOrigin(requestHeaders)) return { error: "Cross-origin request refused.", email };
  const credentials = credentialsSchema.safeParse({
    email: form.get("email"),
    password: form.get("password"),
  });
  if (!credentials.success) return { error: "Enter your email and password.", email };

  const db = await getDatabase();
  const context = requestContextOf(requestHeaders);
  const attempt = { ...credentials.data, client: context.ip };
  const supabase = supabaseSettings(serverEnv());
  if (supabase) {
    const result = await signInWithSupabase(db, supabase, attempt);
    logSignIn(result.kind, attempt, context.requestId);
    if (result.kind !== "signed_in") return { error: MESSAGES[result.kind], email };
  } else {
    const result = await signInWithPassword(db, { ...attempt, userAgent: requestHeaders.get("user-agent") });
    logSignIn(result.kind, attempt, context.requestId);
    if (result.kind !== "signed_in") return { error: MESSAGES[result.kind], email };
    const secure = isHttpsRequest(requestHeaders);
    (await cookies()).set(sessionCookieName(secure), result.token, {
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      expires: result.expiresAt,
    });
  }
  redirect(safeReturnPath(form.get("next")));
}
