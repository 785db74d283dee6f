import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import type { z } from "zod";
import type { StaffCaller } from "../audit/staff-actor";
import { isSchemaOutdated } from "../db/schema-version";
import { currentStaff } from "./current-staff";
import { isSameOrigin, requestContextOf } from "./request-context";
import { type Staff, type StaffRole, hasRole } from "./staff";

export const SIGN_IN_PATH = "/admin/sign-in";

export const NEEDS_MIGRATION_PATH = "/admin/needs-migration";

/**
 * For every admin page: signed out goes to the sign-in page, the wrong role gets a 403, and while the
 * database's schema is older than the code, the page that says to migrate it.
 */
export async function requireStaffPage(required: StaffRole, returnTo: string): Promise<Staff> {
  const staff = await currentStaff().catch((error: unknown) => {
    if (isSchemaOutdated(error)) redirect(NEEDS_MIGRATION_PATH);
    throw error;
  });
  if (!staff) redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(returnTo)}`);
  if (!hasRole(staff, required)) forbidden();
  return staff;
}

export type ActionResult<T> = ({ ok: true } & T) | { ok: false; error: string };

/**
 * The one wrapper for every admin server action: same origin → signed in → role → input parsed by zod →
 * body. Page checks do not cover actions (anyone can POST an action id), so each action checks here.
 */
export function staffAction<S extends z.ZodType, T extends object>(
  required: StaffRole,
  schema: S,
  body: (input: z.infer<S>, caller: StaffCaller) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const requestHeaders = await headers();
    if (!isSameOrigin(requestHeaders)) return { ok: false, error: "Cross-origin request refused." };
    const staff = await currentStaff();
    if (!staff) return { ok: false, error: "Your session has ended. Sign in again." };
    if (!hasRole(staff, required)) return { ok: false, error: "Your role does not allow this." };
    const parsed = schema.safeParse(input);
    if (!parsed.success)
      return { ok: false, error: parsed.error.issues.map((issue) => issue.message).join("; ") };
    return body(parsed.data, { staff, context: requestContextOf(requestHeaders) });
  };
}

/** For admin route handlers (exports): 401 signed out, 403 wrong role, else the caller. */
export async function requireStaffRoute(
  request: Request,
  required: StaffRole,
): Promise<StaffCaller | Response> {
  const staff = await currentStaff();
  if (!staff) return Response.json({ error: "Sign in first." }, { status: 401 });
  if (!hasRole(staff, required)) return Response.json({ error: "Managers only." }, { status: 403 });
  return { staff, context: requestContextOf(request.headers) };
}
