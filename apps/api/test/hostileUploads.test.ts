import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { DomainErrorCode } from "@clinic-chat/domain";
import { storedObjectKeys } from "@clinic-chat/domain/files";
import { TRPCClientError } from "@trpc/client";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hostileFiles } from "../../../packages/adapters/test/s3/hostileFiles";
import { domainErrorTable } from "../src/domainErrorTable";
import type { ApiErrorData } from "../src/errors";
import { type ProductBrowser, shareFile, startTestProduct, type TestProduct } from "./support/product";

// FILE-5 through the whole product (real PostgreSQL, s3rver, the API): every hostile file of the
// corpus gets its verdict and a sentence the sender understands, and nothing refused is left in
// object storage or in any table.

let t: TestProduct;
let doctor: ProductBrowser;
let conversationId: string;
const acceptedNames: string[] = [];
const refusedNames: string[] = [];

beforeAll(async () => {
  t = await startTestProduct();
  doctor = await t.signInStaff(t.world.a.doctor);
  ({
    conversation: { id: conversationId },
  } = await doctor.trpc.conversations.startWithPatient.mutate({ patientId: t.world.a.patient.id }));
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

/** The refusal a tRPC call ended with: the domain's code and the sentence shown to the sender. */
async function refusalOf(
  call: Promise<unknown>,
): Promise<{ domainCode: unknown; details: Record<string, string | number | boolean>; message: string }> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const clientError = error as TRPCClientError<never>;
  const data = clientError.data as unknown as ApiErrorData;
  return { domainCode: data.domainCode, details: { ...data.details }, message: clientError.message };
}

/** Every object key s3rver holds (it stores each object as a file named after its key). */
async function storedKeys(): Promise<string[]> {
  const root = join(t.dataDir, "s3");
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return (
    entries
      .filter((entry) => entry.isFile() && entry.name.endsWith("._S3rver_object"))
      // Below the bucket's folder, without s3rver's suffix: the key.
      .map((entry) =>
        join(entry.parentPath, entry.name)
          .slice(root.length + 1)
          .replace(/^[^/]+\//, "")
          .replace(/\._S3rver_object$/, ""),
      )
  );
}

describe("FILE-5 hostile files through the product", () => {
  it.each(hostileFiles.map((file, index) => [file.what, file, index] as const))(
    "FILE-5: %s → its verdict, with a sentence for the sender",
    async (_, file, index) => {
      // A marker in every name, so the end can prove no refused name was kept anywhere.
      const name = `HOSTILE-${String(index).padStart(2, "0")} ${file.fileName}`;
      const bytes = Buffer.from(await file.body());
      const share = shareFile(doctor, conversationId, {
        name,
        bytes,
        contentType: file.contentType,
        clientId: `hostile-${index}`,
      });
      if (file.verdict === "accepted") {
        const message = await (await share).confirm();
        expect(message.body).toMatchObject({ kind: "file", file: { name } });
        acceptedNames.push(name);
        return;
      }
      refusedNames.push(name);
      const refusal = file.refusedAtRequest
        ? await refusalOf(share)
        : await refusalOf((await share).confirm());
      const code: DomainErrorCode = file.verdict;
      expect(refusal.domainCode).toBe(code);
      expect(refusal.message).toBe(domainErrorTable[code].sentence(refusal.details));
      expect(refusal.message).not.toMatch(/FILE_|undefined|null|\{|\}/);
      if (code === "FILE_TYPE_MISMATCH")
        expect(refusal.message).toMatch(/says (PDF|XLSX), but its contents are (PNG|DOCX)\./);
    },
    60_000,
  );

  it("FILE-6: without clamd configured (development, test) the product says in its log that nothing is scanned", () => {
    expect(t.logs.join("")).toContain("no malware scanner: uploads are shared without a malware scan");
  });

  it("FILE-5/DEL-2: nothing refused is left in object storage or in any table", async () => {
    // FILE-7: an accepted image gets renditions in a job of its own; wait for it to settle.
    const files = await vi.waitFor(
      async () => {
        const rows = await sql<{
          id: string;
          clinic_id: string;
          storage_key: string;
          content_type: string;
          preview_state: string | null;
        }>`select id, clinic_id, storage_key, content_type, preview_state from files`.execute(t.owner);
        const waiting = rows.rows.filter(
          (row) => row.content_type.startsWith("image/") && !row.preview_state,
        );
        if (waiting.length > 0) throw new Error("renditions still being made");
        return rows;
      },
      { timeout: 30_000, interval: 100 },
    );
    // Names are sealed (REC-1): each row's name is read as the product reads it.
    const names = await Promise.all(
      files.rows.map((row) =>
        t.product.domain.uow.run(row.clinic_id, async (s) => (await s.files.get(row.id))?.name),
      ),
    );
    expect(names.sort()).toEqual([...acceptedNames].sort());
    const keys = await storedKeys();
    expect(keys.sort()).toEqual(
      files.rows
        .flatMap((row) =>
          row.preview_state === "ready"
            ? storedObjectKeys(row.storage_key, row.content_type)
            : [row.storage_key],
        )
        .sort(),
    );
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.owner);
    for (const { name } of tables.rows) {
      const dump = await sql<{ dump: string | null }>`select string_agg(t::text, E'\\n') as dump
        from ${sql.table(name)} t`.execute(t.owner);
      for (const refused of refusedNames)
        expect(dump.rows[0]?.dump ?? "").not.toContain(refused.slice(0, 11));
    }
  });
});
