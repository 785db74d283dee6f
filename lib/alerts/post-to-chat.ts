/**
 * Posts one message to a Slack-compatible incoming webhook ({"text": …}). The URL is a secret: it is never
 * logged, and a failure says only the status.
 */
export async function postToChat(
  webhookUrl: string,
  text: string,
): Promise<{ ok: true } | { ok: false; problem: string }> {
  try {
    const response = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(5_000),
    });
    return response.ok
      ? { ok: true }
      : { ok: false, problem: `the chat webhook answered ${response.status}` };
  } catch (error) {
    return {
      ok: false,
      problem: `the chat webhook could not be reached (${error instanceof Error ? error.name : "error"})`,
    };
  }
}
