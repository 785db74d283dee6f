/** A browser's cookie jar, kept by hand: name → value, updated from every Set-Cookie. */
export class CookieJar {
  private cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, ...value] = pair.split("=");
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value.join("=") === "") this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join("="));
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  names() {
    return [...this.cookies.keys()];
  }
}

/** Submits the sign-in form as a browser without JavaScript would: the server action's own form fields. */
export async function submitSignInForm(
  baseUrl: string,
  jar: CookieJar,
  email: string,
  password: string,
  headers: Record<string, string> = {},
) {
  const page = await fetch(`${baseUrl}/admin/sign-in`, { headers: { cookie: jar.header() } });
  const html = await page.text();
  const form = new FormData();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)) {
    form.append(name, (value ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
  }
  form.set("email", email);
  form.set("password", password);
  const response = await fetch(`${baseUrl}/admin/sign-in`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { cookie: jar.header(), origin: baseUrl, ...headers },
  });
  jar.take(response);
  return response;
}
