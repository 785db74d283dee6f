import { serverEnv } from "../env";

export type BodyRead = { kind: "read"; body: Uint8Array } | { kind: "too_large" } | { kind: "too_slow" };

/**
 * Reads a request body as bytes, giving up as soon as it is larger than `maxBytes` (without buffering the
 * rest: a declared Content-Length over the limit is refused before reading anything) or has not fully
 * arrived within `deadlineMs` (REQUEST_TIMEOUT_MS, which `npm start` also enforces at the socket, for hosts
 * that run the app without it). Giving up cancels the stream, so nothing is held for the rest of it.
 */
export async function readBodyWithLimit(
  request: Request,
  maxBytes: number,
  deadlineMs = serverEnv().REQUEST_TIMEOUT_MS,
): Promise<BodyRead> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: "too_large" };
  if (!request.body) return { kind: "read", body: new Uint8Array(0) };

  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"too_slow">(
    (resolve) => (timer = setTimeout(() => resolve("too_slow"), deadlineMs)),
  );
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === "too_slow") {
        await reader.cancel().catch(() => {});
        return { kind: "too_slow" };
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return { kind: "too_large" };
      }
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return { kind: "read", body: Buffer.concat(chunks, size) };
}
