import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for Supabase Auth (GoTrue), which this machine cannot reach: password sign-in, refresh,
 * user lookup and sign-out, with HS256 access tokens (the symmetric mode, in which supabase-js verifies
 * every token by asking the server, so a forged or expired token is refused here).
 */
export interface FakeSupabaseAuth {
  url: string;
  /**
   * An unconfirmed user is one who signed up without confirming the email (Supabase lets them in when
   * "Confirm email" is off).
   */
  addUser: (email: string, password: string, options?: { confirmed?: boolean }) => string;
  /** Access tokens issued from now on expire after this many seconds. */
  setTokenLifetime: (seconds: number) => void;
  refreshCount: () => number;
  close: () => Promise<void>;
}

const SECRET = "fake-supabase-jwt-secret";
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

function sign(claims: object): string {
  const unsigned = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(claims)}`;
  return `${unsigned}.${createHmac("sha256", SECRET).update(unsigned).digest("base64url")}`;
}

function verify(token: string): Record<string, unknown> | null {
  const [header, payload, signature] = token.split(".");
  if (
    !signature ||
    createHmac("sha256", SECRET).update(`${header}.${payload}`).digest("base64url") !== signature
  )
    return null;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  return (claims.exp as number) > Date.now() / 1000 ? claims : null;
}

export async function startFakeSupabaseAuth(): Promise<FakeSupabaseAuth> {
  type User = { id: string; email: string; password: string; confirmed: boolean };
  const users = new Map<string, User>();
  // A refresh keeps the session's sign-in time, as GoTrue's `amr` does.
  const refreshTokens = new Map<string, { userId: string; signedInAt: number }>();
  let lifetime = 3600;
  let refreshes = 0;

  const userJson = (user: User) => ({
    id: user.id,
    aud: "authenticated",
    role: "authenticated",
    email: user.email,
    email_confirmed_at: user.confirmed ? new Date().toISOString() : null,
    app_metadata: { provider: "email" },
    user_metadata: {},
    created_at: new Date().toISOString(),
  });
  const session = (user: User, signedInAt = Math.floor(Date.now() / 1000)) => {
    const now = Math.floor(Date.now() / 1000);
    const refreshToken = randomUUID();
    refreshTokens.set(refreshToken, { userId: user.id, signedInAt });
    const amr = [{ method: "password", timestamp: signedInAt }];
    return {
      access_token: sign({
        sub: user.id,
        email: user.email,
        aud: "authenticated",
        role: "authenticated",
        iat: now,
        exp: now + lifetime,
        session_id: randomUUID(),
        amr,
      }),
      token_type: "bearer",
      expires_in: lifetime,
      expires_at: now + lifetime,
      refresh_token: refreshToken,
      user: userJson(user),
    };
  };
  const send = (response: http.ServerResponse, status: number, body?: object) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(body ? JSON.stringify(body) : undefined);
  };

  const server = http.createServer(async (request, response) => {
    let raw = "";
    for await (const chunk of request) raw += chunk;
    const url = new URL(request.url ?? "/", "http://fake");
    const body = raw ? (JSON.parse(raw) as Record<string, string>) : {};
    if (
      request.method === "POST" &&
      url.pathname === "/auth/v1/token" &&
      url.searchParams.get("grant_type") === "password"
    ) {
      const user = [...users.values()].find((u) => u.email === body.email && u.password === body.password);
      return user
        ? send(response, 200, session(user))
        : send(response, 400, { code: "invalid_credentials", message: "Invalid login credentials" });
    }
    if (
      request.method === "POST" &&
      url.pathname === "/auth/v1/token" &&
      url.searchParams.get("grant_type") === "refresh_token"
    ) {
      const held = refreshTokens.get(body.refresh_token);
      const user = users.get(held?.userId ?? "");
      refreshTokens.delete(body.refresh_token);
      if (!user || !held)
        return send(response, 400, { code: "refresh_token_not_found", message: "Invalid Refresh Token" });
      refreshes += 1;
      return send(response, 200, session(user, held.signedInAt));
    }
    if (request.method === "GET" && url.pathname === "/auth/v1/user") {
      const claims = verify(request.headers.authorization?.replace(/^Bearer /, "") ?? "");
      const user = claims ? users.get(claims.sub as string) : undefined;
      return user
        ? send(response, 200, userJson(user))
        : send(response, 403, { code: "bad_jwt", message: "invalid JWT" });
    }
    if (request.method === "POST" && url.pathname === "/auth/v1/logout") return send(response, 204);
    send(response, 404, { message: `fake Supabase Auth has no ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    addUser: (email, password, options = {}) => {
      const id = randomUUID();
      users.set(id, { id, email, password, confirmed: options.confirmed ?? true });
      return id;
    },
    setTokenLifetime: (seconds) => {
      lifetime = seconds;
    },
    refreshCount: () => refreshes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
