import { appendFile, readFile } from "node:fs/promises";
import type { Database, Sql } from "../db/database";
import { type ChainKeys, chainMac } from "./chain-key";
import { type ChainPoint, chainHead } from "./sealed-entry";

/**
 * A signed head of the chain: entries up to `headSeq` existed, sealed as `headMac`, at `signedAt` (the app's
 * clock).
 */
export interface Checkpoint {
  headSeq: number;
  headMac: string;
  signedAt: string;
  keyId: string;
  mac: string;
}

export const checkpointText = (c: Pick<Checkpoint, "headSeq" | "headMac" | "signedAt">) =>
  `checkpoint|${c.headSeq}|${c.headMac}|${c.signedAt}`;

export function signCheckpoint(head: ChainPoint, keys: ChainKeys, now = new Date()): Checkpoint {
  const unsigned = { headSeq: head.seq, headMac: head.mac, signedAt: now.toISOString() };
  return { ...unsigned, keyId: keys.signing.id, mac: chainMac(keys.signing.key, checkpointText(unsigned)) };
}

export async function latestCheckpointAge(sql: Sql): Promise<number | null> {
  const [row] = await sql<{ age: number | null }>`
    select extract(epoch from now() - max(created_at))::float8 * 1000 as age from public.audit_checkpoints`;
  return row.age;
}

/**
 * Signs the current head into the database (where retention's proof comes from); null when nothing is sealed
 * yet.
 */
export async function writeCheckpoint(db: Database, keys: ChainKeys): Promise<Checkpoint | null> {
  const head = await chainHead(db.sql);
  if (!head) return null;
  const checkpoint = signCheckpoint(head, keys);
  await db.sql`
    insert into public.audit_checkpoints (head_seq, head_mac, signed_at, key_id, mac)
    values (${checkpoint.headSeq}, ${checkpoint.headMac}, ${checkpoint.signedAt}::timestamptz, ${checkpoint.keyId}, ${checkpoint.mac})`;
  return checkpoint;
}

/**
 * The line an external record keeps (a log, a chat channel, a file): enough to check the chain against later.
 */
export function anchorLine(checkpoint: Checkpoint): string {
  return `Audit chain head: entry #${checkpoint.headSeq}, seal ${checkpoint.headMac}, signed ${checkpoint.signedAt} (checkpoint mac ${checkpoint.mac})`;
}

/** Keeps a signed head outside the database: one JSON line appended to AUDIT_ANCHOR_FILE. */
export async function appendAnchor(file: string, checkpoint: Checkpoint): Promise<void> {
  await appendFile(file, `${JSON.stringify(checkpoint)}\n`, { encoding: "utf8", mode: 0o600 });
}

/** Every signed head the anchor file holds (a missing file holds none). */
export async function readAnchors(file: string | undefined): Promise<Checkpoint[]> {
  if (!file) return [];
  try {
    const text = await readFile(file, "utf8");
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Checkpoint);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
