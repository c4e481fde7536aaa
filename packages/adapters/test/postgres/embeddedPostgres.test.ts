import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../src/embedded/embeddedPostgres";

describe("embedded PostgreSQL", () => {
  const folders: string[] = [];
  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it("keeps its data in the folder across a stop and a restart", async () => {
    const root = await mkdtemp(join(tmpdir(), "clinic-chat-embedded-"));
    folders.push(root);
    const directory = join(root, "data");
    const first = await startEmbeddedPostgres({ directory, disposable: true });
    const sql = postgres(first.ownerUrl, { max: 1, onnotice: () => undefined });
    try {
      const version = await sql<{ v: string }[]>`select current_setting('server_version_num') as v`;
      expect(Number(version[0]?.v)).toBeGreaterThanOrEqual(180000);
      await sql`create table kept (note text)`;
      await sql`insert into kept values ('still here')`;
    } finally {
      await sql.end();
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ directory });
    const again = postgres(second.ownerUrl, { max: 1 });
    try {
      expect(await again`select note from kept`).toEqual([{ note: "still here" }]);
    } finally {
      await again.end();
      await second.stop();
    }
  });
});
