import { z } from "zod";

/** A keyset position (a row's sort time and id), opaque to the browser. Shared by every admin table. */
export interface KeysetCursor {
  value: string;
  id: string;
}

export function encodeCursor(position: KeysetCursor): string {
  return Buffer.from(JSON.stringify([position.value, position.id])).toString("base64url");
}

const cursorPayload = z.tuple([z.iso.datetime({ offset: true }), z.string().regex(/^[0-9a-f-]{1,36}$/)]);

export function decodeCursor(text: string | undefined): KeysetCursor | undefined {
  if (!text) return undefined;
  try {
    const parsed = cursorPayload.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? { value: parsed.data[0], id: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}
