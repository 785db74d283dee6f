import { describe, expect, it } from "vitest";
import { TransactionAbandonedError, transactionGuard } from "@/lib/db/guarded-transaction";
import { isDatabaseUnavailable } from "@/lib/db/errors";

const never = () => new Promise<never>(() => {});

describe("the transaction guard around postgres.js", () => {
  it("a transaction with no answer is abandoned at its deadline, as 'database unavailable'", async () => {
    const guard = transactionGuard(50);
    const error = await guard.watch(never()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionAbandonedError);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("once the transaction is over, a query still pending rejects and later ones never run", async () => {
    const guard = transactionGuard(1000);
    let transactionFails!: (error: Error) => void;
    const transaction = guard.watch(new Promise((_, reject) => (transactionFails = reject)));
    const pending = guard.run(never);
    transactionFails(Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" }));
    await expect(transaction).rejects.toThrow(/CONNECTION_CLOSED/);
    await expect(pending).rejects.toBeInstanceOf(TransactionAbandonedError);
    let ran = false;
    await expect(guard.run(async () => (ran = true))).rejects.toBeInstanceOf(TransactionAbandonedError);
    expect(ran).toBe(false);
  });

  it("a transaction that answers in time passes its result through", async () => {
    const guard = transactionGuard(1000);
    expect(await guard.watch(guard.run(async () => 42))).toBe(42);
  });
});
