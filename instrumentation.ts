/** Runs once when the server starts: the audit sealer begins its work (Node.js runtime only). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ startAuditSealer }, { auditChainConfigOf }, { getDatabase }, { serverEnv }] = await Promise.all([
    import("./lib/audit/audit-sealer"),
    import("./lib/audit/audit-chain-config"),
    import("./lib/db/process-database"),
    import("./lib/env"),
  ]);
  startAuditSealer(getDatabase, auditChainConfigOf(serverEnv()));
}
