/**
 * Where to go after signing in: only a console path on this site, never another origin or the sign-in page.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || !/^\/admin(?:[/?][^\\\s]*)?$/.test(value) || value.startsWith("//"))
    return "/admin";
  if (value.startsWith("/admin/sign-in")) return "/admin";
  return value;
}
