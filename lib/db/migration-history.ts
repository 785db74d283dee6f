import { createHash } from "node:crypto";

/**
 * Files that were edited in place after they had reached `main`, before checksums were recorded: every
 * earlier text of such a file that a database may have run, by sha256. Each is brought to today's schema by
 * 20261201000000_repair_edited_migrations. This list is closed: from now on an applied file never changes.
 */
export const SUPERSEDED_CHECKSUMS: Readonly<Record<string, readonly string[]>> = {
  "20261126020000": [
    "38ce794dd45327e26e9f691caef8e0bc74a1109dc13a9393722e2527048b2714", // 0f29f4e: chain head read with `nulls last`
    "17fd756e7704a34fb756ca1eff45b935311eeae5183210f2e4e7c58e051961a2", // 4bab05c: without the failure-detail indexes
    "d676c2111b736e76aed9fc8ccdb6c9cac02522f9ad678c8b0df7f3f01c95f4e0", // 32a625f..f3a5f1d: without the revoke helper
  ],
  "20261126030000": ["37d7bf56dc89e5062936f2310fd927373c1ed9e4cddf900eb57263a49b4f5096"], // 450a2b1: revoke helper
  "20261126040000": ["29fd6cd4905a4858d0c74bafb4d9949add3d81ab2ae8394bb5524e8caf458d85"], // 450a2b1: revoke helper
  "20261126050000": ["5881c48f1612bc624317d5e4d72b6057edfa3cc579eeda01a058671020e10419"], // 450a2b1: revoke helper
};

export interface AppliedMigration {
  version: string;
  checksum: string | null;
  statements: string[] | null;
}

interface KnownMigration {
  version: string;
  name: string;
  checksum: string;
}

export const migrationChecksum = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const sha256 = migrationChecksum;

/**
 * What a database recorded of a migration's text: the checksum this runner writes, or, for rows written
 * before it did, the file text it kept as the only statement. The Supabase CLI keeps the file split into
 * statements, compared here without white space and semicolons.
 */
function recordedMatches(row: AppliedMigration, checksums: readonly string[], fileText?: string): boolean {
  if (row.checksum !== null) return checksums.includes(row.checksum);
  const statements = row.statements ?? [];
  if (statements.length === 1 && checksums.includes(sha256(statements[0]))) return true;
  if (fileText === undefined || statements.length === 0) return false;
  const squash = (text: string) => text.replace(/[\s;]+/g, "");
  return squash(statements.join("")) === squash(fileText);
}

/** Every way the migrations a database ran differ from the repository's files; empty when they agree. */
export function migrationHistoryProblems(
  applied: AppliedMigration[],
  files: (KnownMigration & { sql?: string })[],
): string[] {
  const byVersion = new Map(files.map((file) => [file.version, file]));
  const problems: string[] = [];
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) {
      problems.push(`${row.version} ran on this database but there is no such file in supabase/migrations.`);
      continue;
    }
    const accepted = [file.checksum, ...(SUPERSEDED_CHECKSUMS[row.version] ?? [])];
    if (!recordedMatches(row, accepted, file.sql)) {
      const recorded = row.checksum ?? (row.statements?.length === 1 ? sha256(row.statements[0]) : null);
      const ran = recorded
        ? `text ${recorded.slice(0, 12)}…`
        : "other statements (as the Supabase CLI recorded them)";
      problems.push(
        `${row.version}_${file.name} ran with ${ran}, but the file is now ${file.checksum.slice(0, 12)}….`,
      );
    }
  }
  return problems;
}
