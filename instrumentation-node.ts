/**
 * The server's start in the Node.js runtime: production refuses to start without its settings, then the audit
 * sealer and the refused-delivery recorder begin.
 */
export async function startServer() {
  const { assertProductionSettings, serverEnv } = await import("./lib/env");
  try {
    assertProductionSettings(serverEnv());
  } catch (error) {
    // Next logs a failing register() and serves anyway; a server that cannot do its job must not start.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const [
    { startAuditSealer },
    { auditChainConfigOf },
    { getDatabase },
    { warnAboutClientAddresses },
    { startRefusedWindowRecorder },
  ] = await Promise.all([
    import("./lib/audit/audit-sealer"),
    import("./lib/audit/audit-chain-config"),
    import("./lib/db/process-database"),
    import("./lib/http/warn-about-client-addresses"),
    import("./lib/outage/refused-deliveries"),
  ]);
  startAuditSealer(getDatabase, auditChainConfigOf(serverEnv()));
  startRefusedWindowRecorder(getDatabase);
  warnAboutClientAddresses(serverEnv());
}
