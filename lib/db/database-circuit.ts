import { isDatabaseUnavailable } from "./errors";

/**
 * Answered at once while the database is known to be unreachable; a connection-class code, so callers answer
 * 503.
 */
export class DatabaseCircuitOpenError extends Error {
  readonly code = "CIRCUIT_OPEN";
  constructor(reason: string) {
    super(`database unreachable: ${reason}`);
  }
}

/** A reachable database gave this call no answer in time: its connection is wedged, not the server gone. */
export class DatabaseNoAnswerError extends Error {
  readonly code = "CONNECTION_WEDGED";
  constructor(deadlineMs: number) {
    super(`no answer within ${deadlineMs} ms from a database that answers probes`);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface CircuitOptions {
  /**
   * A call with no answer after this long makes the circuit ask the database directly whether it is there.
   */
  stallMs: number;
  /** Asks the database, on a connection of its own, whether it answers; rejects (soon) when it does not. */
  probe: () => Promise<void>;
  /** The longest a call may wait while probes say the database is there (Infinity: no limit). */
  deadlineMs: number;
  /** A call ran out of time on a reachable database: its pool's connections cannot be trusted. */
  onWedged: () => void;
}

export interface DatabaseCircuit {
  run<T>(call: () => Promise<T>): Promise<T>;
}

/**
 * Fails fast while the database is unreachable, instead of letting requests queue behind a driver that keeps
 * reconnecting (postgres.js holds queued queries until a connection comes back, however long that takes).
 *
 * Closed: calls go through. A call that errors with a connection-class error, or that has no answer within
 * `stallMs` while a probe finds the database silent, opens the circuit. Open: each call first waits for a
 * probe (one at a time, shared by every caller that arrives meanwhile; a refused connection answers it in a
 * millisecond, a silent host within the probe's deadline): the first probe that answers closes the circuit,
 * so calls go through again the moment the database is back. A slow but reachable database never opens it; a
 * call that still has no answer at `deadlineMs` is given up (503) and reported, so the caller can replace a
 * pool whose connection went quiet (postgres.js can keep a query unsent on a connection reused after a drop).
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
      const timers: ReturnType<typeof setTimeout>[] = [];
      const after = (ms: number) =>
        new Promise<"late">((resolve) => timers.push(setTimeout(() => resolve("late"), ms)));
      const started = Date.now();
      const answer = call();
      try {
        const first = await Promise.race([answer, after(options.stallMs)]);
        if (first !== "late") return first;
        // Slow: an answer from a busy database is still worth waiting for, from a missing one it is not.
        if (!(await reachable())) {
          answer.catch(() => {});
          return refused();
        }
        if (!Number.isFinite(options.deadlineMs)) return await answer;
        const last = await Promise.race([
          answer,
          after(Math.max(0, options.deadlineMs - (Date.now() - started))),
        ]);
        if (last !== "late") return last;
        answer.catch(() => {});
        options.onWedged();
        throw new DatabaseNoAnswerError(options.deadlineMs);
      } catch (error) {
        // Refusals are the circuit's own; a wedged call's pool is replaced while the database itself answers.
        const ours = error instanceof DatabaseCircuitOpenError || error instanceof DatabaseNoAnswerError;
        if (isDatabaseUnavailable(error) && !ours) open(messageOf(error));
        throw error;
      } finally {
        for (const timer of timers) clearTimeout(timer);
      }
    },
  };
}
