import { type Clock, createClinicChat, type Message } from "@clinic-chat/domain";
import type { BlobStore } from "@clinic-chat/domain/files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ProductBrowser,
  shareFile,
  startTestProduct,
  type TestProduct,
  tinyPdf,
} from "./support/product";

const day = 86_400_000;

/** A clock the test sets: the product's messages are sent on the real clock, retention runs later. */
class SetClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
}

let t: TestProduct;
let doctor: ProductBrowser;
let admin: ProductBrowser;
beforeAll(async () => {
  t = await startTestProduct();
  doctor = await t.signInStaff(t.world.a.doctor);
  admin = await t.signInStaff(t.world.a.admin);
});
afterAll(async () => {
  await t?.stop();
});

/** A conversation with `before` texts, a shared PDF, then `after` texts; the file's storage key. */
async function conversationWith(patientId: string, before: number, after: number) {
  const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({ patientId });
  const send = (i: number) =>
    doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: `${patientId}-${i}`,
      text: `MARKER-RETAIN ${patientId} ${i}`,
    });
  for (let i = 0; i < before; i++) await send(i);
  const shared = await shareFile(doctor, conversation.id, {
    name: "MARKER-RETAIN-FILE.pdf",
    bytes: tinyPdf,
    contentType: "application/pdf",
    clientId: `${patientId}-file`,
  });
  await shared.confirm();
  for (let i = before; i < before + after; i++) await send(i);
  const file = await t.product.domain.uow.run(t.world.a.clinicId, (s) => s.files.get(shared.fileId));
  return { conversationId: conversation.id, storageKey: file!.storageKey };
}

/** The object's HEAD in storage (null: 404); the limits keep it from reading the bytes. */
function headOf(key: string) {
  return t.product.domain.blobs.inspect(key, { maxBytes: 0, inflateLimit: () => 0 });
}

async function messagesOf(conversationId: string): Promise<Message[]> {
  return t.product.domain.uow.run(t.world.a.clinicId, (s) =>
    s.messages.history(conversationId, { limit: 100, beforeSeq: null }),
  );
}

describe("REC-3 retention on real PostgreSQL and object storage", () => {
  it("REC-3 REC-4 DEL-2 DEL-3: past the period, a run cut off mid-way resumes; old messages go content-free with their objects; the held patient keeps everything", async () => {
    const { a } = t.world;
    const held = await conversationWith(a.patient.id, 2, 2);
    const open = await conversationWith(a.probe.id, 7, 7);
    await admin.trpc.records.setRetention.mutate({ period: { amount: 30, unit: "days" } });
    await admin.trpc.records.placeHold.mutate({ patientId: a.patient.id, reason: "Dispute over the bill" });
    const { blobs } = t.product.domain;
    expect(await headOf(open.storageKey)).not.toBeNull();

    // The first attempt dies while removing the object of its second part (as a killed process
    // would): the first part (5 texts) stays done, the second rolls back.
    const clock = new SetClock(new Date(Date.now() + 31 * day));
    const dying: BlobStore = {
      ...blobs,
      remove: async () => {
        throw new Error("killed");
      },
    };
    const first = createClinicChat({ ...t.product.domain, blobs: dying, clock });
    await expect(first.runRetention(a.clinicId, { sliceSize: 5 })).rejects.toThrow("killed");
    expect((await messagesOf(open.conversationId)).filter((m) => m.body.kind === "deleted")).toHaveLength(5);
    expect(await headOf(open.storageKey)).not.toBeNull();

    // The next day's run resumes with the same cut-off and finishes.
    clock.at = new Date(clock.at.getTime() + day);
    const next = createClinicChat({ ...t.product.domain, clock });
    expect(await next.runRetention(a.clinicId, { sliceSize: 5 })).toMatchObject({
      deletedMessages: 15,
      deletedFiles: 1,
    });

    const openNow = await messagesOf(open.conversationId);
    expect(openNow).toHaveLength(15);
    for (const message of openNow) {
      expect(message.body).toEqual({
        kind: "deleted",
        deletedAt: expect.any(Date),
        deletedBy: { kind: "staff", id: a.admin.id },
      });
    }
    // HEAD answers 404: the object is gone from storage.
    expect(await headOf(open.storageKey)).toBeNull();
    const heldNow = await messagesOf(held.conversationId);
    expect(heldNow.map((m) => m.body.kind).sort()).toEqual(["file", "text", "text", "text", "text"]);
    expect(await headOf(held.storageKey)).not.toBeNull();

    const { events, audit } = await t.product.domain.uow.run(a.clinicId, async (s) => ({
      events: await s.events.after(0, 10_000),
      audit: (await s.audit.list({ limit: 100, action: "retention.run" })).items,
    }));
    const deletions = events.filter((e) => e.type === "message.deleted").map((e) => e.messageId);
    expect(deletions).toHaveLength(15);
    expect(new Set(deletions).size).toBe(15);
    expect(audit).toEqual([
      expect.objectContaining({ actor: null, outcome: "success", reason: "messages=15 files=1" }),
    ]);
    // No PHI in what the run logged.
    expect(t.logs.join("\n")).not.toContain("MARKER-RETAIN");
  });
});
