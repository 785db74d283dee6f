import { auditChainConfigOf } from "@/lib/audit/audit-chain-config";
import { latestChainChecks } from "@/lib/audit/chain-checks";
import { externalAnchors } from "@/lib/audit/run-audit-chain-job";
import { countWaitingForSeal, sealAuditChain } from "@/lib/audit/seal-audit-chain";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import type { Database } from "@/lib/db/database";
import { serverEnv } from "@/lib/env";
import { formatTime } from "./format";
import { VerifyChainButton } from "./verify-chain-button";

const entries = (count: number) => `${count} ${count === 1 ? "entry" : "entries"}`;

/**
 * What this view verified, precisely. It seals what is waiting, then re-verifies every seal from the head of
 * the last intact whole-chain check up to the chain's head (at least the head itself), against every signed
 * anchor this server knows. Older entries were verified by that check; the scheduled job checks the whole
 * chain again.
 */
export async function ChainStatus({ db }: { db: Database }) {
  const config = auditChainConfigOf(serverEnv());
  if (!config.keys) {
    const [{ n }] = await db.sql<{ n: number }>`select count(*)::int as n from public.audit_log`;
    return (
      <p className="verdict-bad" role="alert">
        AUDIT_CHAIN_KEY is not set: {entries(n)} are kept but not sealed, and the trail cannot be verified.
        Set it and restart.
      </p>
    );
  }
  await sealAuditChain(db, config.keys);
  const { latest, lastIntact } = await latestChainChecks(db.sql);
  const from =
    lastIntact?.headSeq && lastIntact.headMac
      ? { seq: lastIntact.headSeq - 1, mac: "" }
      : { seq: 0, mac: "" };
  // The last checked head is walked again too (from the seal before it), so the head this view reports is
  // re-verified.
  const [before] =
    from.seq > 0
      ? await db.sql<{ mac: string }>`select mac from public.audit_seals where seq = ${from.seq}`
      : [];
  const recent = await verifyAuditChain(db.sql, {
    keys: config.keys,
    from: before ? { seq: from.seq, mac: before.mac } : { seq: 0, mac: "" },
    externalAnchors: await externalAnchors(config),
    retentionDays: config.retentionDays,
  });
  const unsealed = await countWaitingForSeal(db.sql);
  const broken = !recent.intact ? recent : latest && !latest.intact ? latest : null;
  const firstChecked = before ? from.seq + 1 : 1;

  return (
    <div className="stack">
      {broken ? (
        <p className="verdict-bad" role="alert">
          Chain broken{broken.brokenSeq ? ` at #${broken.brokenSeq}` : ""}: {broken.problem}. Entries from
          there on cannot be trusted.
        </p>
      ) : (
        <p className="verdict-ok" role="status">
          Chain intact.{" "}
          {recent.intact && recent.headSeq
            ? `Verified now: #${firstChecked}–#${recent.headSeq} (${entries(recent.rows)}), up to the head #${recent.headSeq}.`
            : "Nothing is sealed yet."}
          {unsealed > 0 ? ` ${entries(unsealed)} from the last seconds wait to be sealed.` : ""}
        </p>
      )}
      <p className="muted">
        {lastIntact
          ? `Entries up to #${lastIntact.headSeq ?? 0} were verified in full at ${formatTime(lastIntact.checkedAt)} by ${lastIntact.checkedBy} (${entries(lastIntact.rowsChecked)}).`
          : firstChecked === 1 && recent.intact
            ? "This view verified it from the first entry. No full check is on record yet: the button below, or the scheduled job, records one."
            : "No full check of the chain is on record yet."}
        {latest && latest !== lastIntact && !latest.intact
          ? ` The last full check (${formatTime(latest.checkedAt)}) found it broken.`
          : ""}
      </p>
      <VerifyChainButton />
    </div>
  );
}
