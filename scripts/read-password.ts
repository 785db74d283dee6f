import { createInterface } from "node:readline";

/** A password from the terminal without echoing it, or the first line of piped stdin. */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0] ?? "";
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  process.stdout.write(prompt);
  const muted = terminal as unknown as { _writeToOutput: (text: string) => void };
  muted._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => terminal.question("", resolve));
  terminal.close();
  process.stdout.write("\n");
  return answer;
}
