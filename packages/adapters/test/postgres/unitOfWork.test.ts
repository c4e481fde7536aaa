import type { UnitOfWorkOptions } from "@clinic-chat/domain";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { unitOfWorkContract } from "../contract/unitOfWork.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const postgresUnitOfWork = usePostgresUnitOfWork();
unitOfWorkContract(postgresUnitOfWork.factory);

describe("withClinic", () => {
  const { database } = postgresUnitOfWork;

  it("SEC-3: only a unit of work that records its reading commits without waiting for the disk, and only itself", async () => {
    // The test server never waits for the disk; this database does, for connections made from now on.
    await sql.raw(`alter database ${database().name} set synchronous_commit = on`).execute(database().owner);
    const app = connectPostgres(database().appUrl, { max: 1 });
    try {
      const durability = (options?: UnitOfWorkOptions) =>
        withClinic(
          app,
          "clinic-of-nobody",
          async (trx) =>
            (
              await sql<{ setting: string }>`select current_setting('synchronous_commit') as setting`.execute(
                trx,
              )
            ).rows[0]?.setting,
          options,
        );
      expect(await durability({ onlyRecordsReading: true })).toBe("off");
      expect(await durability()).toBe("on");
      expect(await durability({})).toBe("on");
    } finally {
      await app.destroy();
    }
  });
});
