import http from "node:http";
import type { AddressInfo } from "node:net";

/** A stand-in for Slack's incoming webhook (the real one is not reachable here): keeps every message. */
export async function startFakeChatWebhook() {
  const messages: string[] = [];
  let failWith: number | null = null;
  const server = http.createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    if (failWith) {
      response.writeHead(failWith).end("no");
      return;
    }
    messages.push((JSON.parse(body) as { text: string }).text);
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXX`,
    messages,
    /** Answer every post with this status from now on (null: accept again). */
    fail: (status: number | null) => {
      failWith = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
