import http from "node:http";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** Sent exactly as written: no URL normalisation of `..`, `//` or percent-escapes. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Sends the body in pieces this many ms apart (a slow client). */
  chunks?: { pieces: number; delayMs: number };
}

/** One HTTP request through node:http, for inputs fetch would refuse or normalise. */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = typeof request.body === "string" ? Buffer.from(request.body) : request.body;
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? "GET",
        path: request.path,
        headers: request.headers,
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on("data", (chunk: Buffer) => parts.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(parts).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    if (!body) {
      outgoing.end();
      return;
    }
    if (!request.chunks) {
      outgoing.end(body);
      return;
    }
    const { pieces, delayMs } = request.chunks;
    const size = Math.ceil(body.length / pieces);
    let sent = 0;
    const next = () => {
      if (sent >= body.length) return outgoing.end();
      outgoing.write(body.subarray(sent, sent + size));
      sent += size;
      setTimeout(next, delayMs);
    };
    next();
  });
}
