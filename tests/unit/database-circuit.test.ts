import { describe, expect, it } from "vitest";
import { DatabaseCircuitOpenError, DatabaseNoAnswerError, databaseCircuit } from "@/lib/db/database-circuit";
import { isDatabaseUnavailable } from "@/lib/db/errors";

const connectionError = () => Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

function circuitWith(database: { up: boolean }, deadlineMs = Number.POSITIVE_INFINITY) {
  let probes = 0;
  let wedged = 0;
  const circuit = databaseCircuit({
    stallMs: 100,
    deadlineMs,
    onWedged: () => (wedged += 1),
    probe: async () => {
      probes += 1;
      await after(10, null);
      if (!database.up) throw connectionError();
    },
  });
  return { circuit, probes: () => probes, wedged: () => wedged };
}

describe("the database circuit", () => {
  it("opens on a connection error, refuses at once while the database is silent, and closes as soon as a probe answers", async () => {
    const database = { up: true };
    const { circuit, probes } = circuitWith(database);
    expect(await circuit.run(async () => "ok")).toBe("ok");

    database.up = false;
    await expect(circuit.run(() => Promise.reject(connectionError()))).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
    const started = performance.now();
    const refused = await circuit.run(async () => "never called").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DatabaseCircuitOpenError);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);

    await expect(circuit.run(async () => "still down")).rejects.toBeInstanceOf(DatabaseCircuitOpenError);
    database.up = true;
    const probesBefore = probes();
    expect(await circuit.run(async () => "back at once")).toBe("back at once");
    expect(await circuit.run(async () => "and closed")).toBe("and closed");
    expect(probes()).toBe(probesBefore + 1);
  });

  it("a call that stalls while the database is gone is answered at the probe, not when the driver gives up", async () => {
    const database = { up: false };
    const { circuit } = circuitWith(database);
    const started = performance.now();
    await expect(circuit.run(() => after(10_000, "late"))).rejects.toBeInstanceOf(DatabaseCircuitOpenError);
    expect(performance.now() - started).toBeLessThan(300);
  });

  it("a slow but reachable database is waited for and never opens the circuit", async () => {
    const { circuit, probes } = circuitWith({ up: true });
    expect(await circuit.run(() => after(300, "slow answer"))).toBe("slow answer");
    expect(probes()).toBe(1);
    expect(await circuit.run(async () => "next")).toBe("next");
  });

  it("a call with no answer at the deadline from a database that answers probes is given up and reported", async () => {
    const { circuit, wedged } = circuitWith({ up: true }, 400);
    const started = performance.now();
    const error = await circuit.run(() => after(10_000, "never")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseNoAnswerError);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(performance.now() - started).toBeLessThan(600);
    expect(wedged()).toBe(1);
    expect(await circuit.run(async () => "a fresh pool answers")).toBe("a fresh pool answers");
  });

  it("errors that are not about reaching the database pass through and leave it closed", async () => {
    const { circuit } = circuitWith({ up: true });
    const constraint = Object.assign(new Error("duplicate key"), { code: "23505" });
    await expect(circuit.run(() => Promise.reject(constraint))).rejects.toBe(constraint);
    expect(await circuit.run(async () => "fine")).toBe("fine");
  });

  it("callers arriving while the circuit probes share one probe", async () => {
    const database = { up: true };
    const { circuit, probes } = circuitWith(database);
    await circuit.run(() => Promise.reject(connectionError())).catch(() => {});
    await after(250, null);
    const results = await Promise.all(Array.from({ length: 10 }, () => circuit.run(async () => "ok")));
    expect(results).toEqual(Array(10).fill("ok"));
    expect(probes()).toBe(1);
  });
});

describe("what counts as the database being unavailable (answered 503, a refused window)", () => {
  it("includes a network or host the server cannot reach (an IPv6-only database from an IPv4-only host), and resets", () => {
    for (const code of [
      "ENETUNREACH",
      "EHOSTUNREACH",
      "ENETDOWN",
      "EHOSTDOWN",
      "EADDRNOTAVAIL",
      "EAI_AGAIN",
      "ECONNRESET",
    ]) {
      expect(isDatabaseUnavailable(Object.assign(new Error(`connect ${code}`), { code }))).toBe(true);
    }
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
  });

  it("opens the circuit like a refused connection: the next call is refused at once while probes fail", async () => {
    const unreachable = Object.assign(new Error("connect ENETUNREACH 2001:db8::1:5432"), {
      code: "ENETUNREACH",
    });
    const circuit = databaseCircuit({
      stallMs: 100,
      deadlineMs: 1000,
      onWedged: () => {},
      probe: () => Promise.reject(unreachable),
    });
    await expect(circuit.run(() => Promise.reject(unreachable))).rejects.toBe(unreachable);
    let called = false;
    await expect(circuit.run(async () => (called = true))).rejects.toBeInstanceOf(DatabaseCircuitOpenError);
    expect(called).toBe(false);
  });
});
