import { isDatabaseUnavailable } from "./errors";

/** Answered at once while the database is known to be unreachable; a connection-class code, so callers answer 503. */
export class DatabaseCircuitOpenError extends Error {
  readonly code = "CIRCUIT_OPEN";
  constructor(reason: string) {
    super(`database unreachable: ${reason}`);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface CircuitOptions {
  /** A call with no answer after this long makes the circuit ask the database directly whether it is there. */
  stallMs: number;
  /** Asks the database, on a connection of its own, whether it answers; rejects (soon) when it does not. */
  probe: () => Promise<void>;
}

export interface DatabaseCircuit {
  run<T>(call: () => Promise<T>): Promise<T>;
}

/**
 * Fails fast while the database is unreachable, instead of letting requests queue behind a driver that keeps
 * reconnecting (postgres.js holds queued queries until a connection comes back, however long that takes).
 *
 * Closed: calls go through. A call that errors with a connection-class error, or that has no answer within
 * `stallMs` while a probe finds the database silent, opens the circuit. Open: each call first waits for a probe
 * (one at a time, shared by every caller that arrives meanwhile; a refused connection answers it in a
 * millisecond, a silent host within the probe's deadline): the first probe that answers closes the circuit, so
 * calls go through again the moment the database is back. A slow but reachable database never opens it.
 */
export function databaseCircuit(options: CircuitOptions): DatabaseCircuit {
  let isOpen = false;
  let lastProblem = "";
  let probing: Promise<boolean> | null = null;

  const open = (problem: string) => {
    lastProblem = problem;
    isOpen = true;
  };
  const reachable = () => {
    probing ??= options
      .probe()
      .then(
        () => true,
        (error: unknown) => {
          open(messageOf(error));
          return false;
        },
      )
      .finally(() => (probing = null));
    return probing;
  };
  const refused = () => Promise.reject(new DatabaseCircuitOpenError(lastProblem));

  return {
    async run(call) {
      if (isOpen) {
        if (!(await reachable())) return refused();
        isOpen = false;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<"stalled">((resolve) => (timer = setTimeout(() => resolve("stalled"), options.stallMs)));
      const answer = call();
      try {
        const first = await Promise.race([answer, stalled]);
        if (first !== "stalled") return first;
        // Slow: an answer from a busy database is still worth waiting for, from a missing one it is not.
        if (!(await reachable())) {
          answer.catch(() => {});
          return refused();
        }
        return await answer;
      } catch (error) {
        if (isDatabaseUnavailable(error) && !(error instanceof DatabaseCircuitOpenError)) open(messageOf(error));
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
