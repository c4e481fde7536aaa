import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  contentTypes,
  relationships,
  relationshipTypes,
  zipArchive,
} from "../../../packages/adapters/test/s3/samples";
import { eicar, startTestClamd, type TestClamd } from "../../../packages/adapters/test/support/clamd";
import { domainErrorTable } from "../src/domainErrorTable";
import { type ProductBrowser, startTestProduct, type TestProduct, tinyPdf } from "./support/product";

// FILE-6 through the whole product: a real clamd (started by the test on its own EICAR signature),
// the pg-boss scan job, S3 and PostgreSQL. A file waits unseen while clamd is down, and is shared
// once clamd is back; EICAR inside a PDF or a DOCX is deleted and its sender told.

let clamd: TestClamd;
let t: TestProduct;
let doctor: ProductBrowser;
let patient: ProductBrowser;
let conversationId: string;

beforeAll(async () => {
  clamd = await startTestClamd();
  t = await startTestProduct({ CLAMD_SOCKET: clamd.socketPath });
  doctor = await t.signInStaff(t.world.a.doctor);
  patient = await t.signInPatient(t.world.a.patient);
  ({
    conversation: { id: conversationId },
  } = await doctor.trpc.conversations.startWithPatient.mutate({ patientId: t.world.a.patient.id }));
}, 90_000);
afterAll(async () => {
  await t?.stop();
  await clamd?.close();
});

const text = new TextEncoder();

/** Uploads as the browser does and confirms; answers what the confirmation said. */
async function upload(name: string, bytes: Uint8Array, contentType: string, clientId: string) {
  const request = await doctor.trpc.files.requestUpload.mutate({
    conversationId,
    clientId,
    fileName: name,
    sizeBytes: bytes.length,
    contentType,
  });
  const put = await doctor.fetch(request.upload.url, {
    method: request.upload.method,
    headers: request.upload.headers,
    body: bytes,
  });
  expect(put.ok).toBe(true);
  const confirmed = await doctor.trpc.files.confirmUpload.mutate({ fileId: request.fileId });
  return { fileId: request.fileId, confirmed };
}

async function patientSees(fileId: string): Promise<boolean> {
  const history = await patient.trpc.conversations.history.query({ conversationId, limit: 50 });
  return history.messages.some((m) => m.body.kind === "file" && m.body.file.id === fileId);
}

describe("FILE-6 malware scanning in the product", () => {
  it("FILE-6: the product says in its log that clamd scans uploads", () => {
    expect(t.logs.join("")).toContain("malware scanning by clamd");
    expect(t.logs.join("")).not.toContain("no malware scanner");
  });

  it("FILE-6: clamd stopped during an upload: the file waits, is never shown, and is shared once clamd is back", async () => {
    await clamd.stop();
    let fileId: string;
    try {
      const uploaded = await upload("MARKER-WAIT results.pdf", tinyPdf, "application/pdf", "scan-wait");
      fileId = uploaded.fileId;
      expect(uploaded.confirmed).toMatchObject({ state: "checking", file: { id: fileId } });
      // The scan job fails and is retried while clamd is down; nobody but the sender knows of the file.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect(await doctor.trpc.files.uploadState.query({ fileId })).toEqual({ state: "checking" });
      expect(await patientSees(fileId)).toBe(false);
      await expect(patient.trpc.files.download.mutate({ fileId })).rejects.toMatchObject({
        data: { domainCode: "NOT_FOUND" },
      });
      await expect(patient.trpc.files.uploadState.query({ fileId })).rejects.toMatchObject({
        data: { domainCode: "NOT_FOUND" },
      });
      const state = await sql<{ state: string }>`select state from files where id = ${fileId}`.execute(
        t.owner,
      );
      expect(state.rows).toEqual([{ state: "checking" }]);
    } finally {
      await clamd.start();
    }
    await vi.waitFor(
      async () =>
        expect(await doctor.trpc.files.uploadState.query({ fileId })).toMatchObject({ state: "shared" }),
      { timeout: 60_000, interval: 250 },
    );
    expect(await patientSees(fileId)).toBe(true);
    const link = await patient.trpc.files.download.mutate({ fileId });
    expect((await fetch(link.url)).status).toBe(200);
  }, 120_000);

  it.each([
    [
      "EICAR inside a PDF",
      "MARKER-EICAR-PDF letter.pdf",
      "application/pdf",
      text.encode(`%PDF-1.4\n1 0 obj\n<< /Length 68 >>\nstream\n${eicar}\nendstream\nendobj\n%%EOF\n`),
    ],
    [
      "EICAR inside a DOCX",
      "MARKER-EICAR-DOCX letter.docx",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      zipArchive([
        contentTypes({
          "/word/document.xml":
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        }),
        relationships("_rels/.rels", { [`${relationshipTypes}/officeDocument`]: "word/document.xml" }),
        { name: "word/document.xml", data: text.encode(eicar) },
      ]),
    ],
  ])(
    "FILE-6: %s is deleted, never shown, and its sender told why",
    async (_, name, type, bytes) => {
      const { fileId, confirmed } = await upload(name, bytes, type, `scan-${name.length}-${type.length}`);
      expect(confirmed).toMatchObject({ state: "checking" });
      await vi.waitFor(
        async () =>
          expect(await doctor.trpc.files.uploadState.query({ fileId })).toEqual({
            state: "refused",
            reason: "FILE_INFECTED",
            sentence: domainErrorTable.FILE_INFECTED.sentence(),
          }),
        { timeout: 30_000, interval: 250 },
      );
      expect(await patientSees(fileId)).toBe(false);
      const files = await sql<{
        n: number;
      }>`select count(*)::int as n from files where id = ${fileId}`.execute(t.owner);
      expect(files.rows).toEqual([{ n: 0 }]);
      const rejected = await sql<{ reason: string }>`select reason from audit_log
      where action = 'file.upload_rejected' and file_id = ${fileId}`.execute(t.owner);
      expect(rejected.rows).toEqual([{ reason: "FILE_INFECTED" }]);
      const marker = name.split(" ")[0]!;
      const dump = await sql<{ dump: string | null }>`select string_agg(t::text, E'\\n') as dump
      from (select * from files) t`.execute(t.owner);
      expect(dump.rows[0]?.dump ?? "").not.toContain(marker);
    },
    60_000,
  );
});
