import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ProductBrowser,
  shareFile,
  startTestProduct,
  type TestProduct,
  tinyPdf,
} from "./support/product";

let t: TestProduct;
let admin: ProductBrowser;
let doctor: ProductBrowser;
beforeAll(async () => {
  t = await startTestProduct();
  admin = await t.signInStaff(t.world.a.admin);
  doctor = await t.signInStaff(t.world.a.doctor);
});
afterAll(async () => {
  await t?.stop();
});

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("expected a tRPC error");
  return { code: (error.data as { code: string }).code, message: error.message };
}

describe("REC-2 erasing a whole patient through the product", () => {
  it("REC-2: the admin's erasure ends the patient's session, removes their messages and file, and leaves a tombstone", async () => {
    const { a } = t.world;
    const patient = await t.signInPatient(a.patient);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "e-1",
      text: "Your results",
    });
    await patient.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "e-2",
      text: "Thanks",
    });
    const shared = await shareFile(doctor, conversation.id, {
      name: "results.pdf",
      bytes: tinyPdf,
      contentType: "application/pdf",
      clientId: "e-3",
    });
    await shared.confirm();
    expect((await patient.trpc.auth.me.query()).person.id).toBe(a.patient.id);

    // A wrong name, a practitioner, and a hold are each refused with a sentence, and change nothing.
    const wrong = await refusal(
      admin.trpc.records.erasePatient.mutate({
        patientId: a.patient.id,
        confirmName: "Someone",
        reason: "Asked",
      }),
    );
    expect(wrong).toEqual({
      code: "BAD_REQUEST",
      message: "The name typed doesn't match the patient's name. Type it as it is shown.",
    });
    expect(
      (
        await refusal(
          doctor.trpc.records.erasePatient.mutate({
            patientId: a.patient.id,
            confirmName: a.patient.name,
            reason: "Asked",
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    await admin.trpc.records.placeHold.mutate({ patientId: a.patient.id, reason: "Counsel" });
    expect(
      (
        await refusal(
          admin.trpc.records.erasePatient.mutate({
            patientId: a.patient.id,
            confirmName: a.patient.name,
            reason: "Asked",
          }),
        )
      ).code,
    ).toBe("PRECONDITION_FAILED");
    await admin.trpc.records.liftHold.mutate({ patientId: a.patient.id });
    expect((await patient.trpc.auth.me.query()).person.id).toBe(a.patient.id);

    const erased = await admin.trpc.records.erasePatient.mutate({
      patientId: a.patient.id,
      confirmName: a.patient.name,
      reason: "The patient asked to be erased",
    });
    expect(erased).toEqual({ conversations: 1, messages: 3, files: 1 });

    expect((await refusal(patient.trpc.auth.me.query())).code).toBe("UNAUTHORIZED");
    const history = await doctor.trpc.conversations.history.query({
      conversationId: conversation.id,
      limit: 10,
    });
    expect(history.messages.map((m) => m.body.kind)).toEqual(["deleted", "deleted", "deleted"]);
    expect(
      (
        await refusal(
          doctor.trpc.messages.send.mutate({ conversationId: conversation.id, clientId: "e-4", text: "Hi" }),
        )
      ).code,
    ).toBe("PRECONDITION_FAILED");
    const file = await admin.trpc.patients.get.query({ patientId: a.patient.id });
    expect(file).toMatchObject({ person: { name: "Erased patient" }, email: null, portalAccount: "none" });
    expect(file.erasure).toMatchObject({ by: { id: a.admin.id }, reason: "The patient asked to be erased" });
    const listed = await doctor.trpc.patients.list.mutate({ limit: 100 });
    expect(listed.items.map((item) => item.person.id)).not.toContain(a.patient.id);
    // Nothing of the patient signs in again.
    await expect(t.signInPatient(a.patient)).rejects.toThrow();
    const rows = await t.inspect
      .selectFrom("auth_credentials")
      .select("person_id")
      .where("person_id", "=", a.patient.id)
      .execute();
    expect(rows).toEqual([]);
    // The logs name no patient.
    expect(t.logs.join("\n")).not.toContain(a.patient.name);
  });
});
