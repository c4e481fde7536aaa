import type { StoredAuditEvent } from "@clinic-chat/domain";
import type { Bundle, Communication } from "@medplum/fhirtypes";
import { TRPCClientError } from "@trpc/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/api";
import { phi, phiMarkers } from "./support/world";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("expected a tRPC error");
  return (error.data as { domainCode?: string } | undefined)?.domainCode ?? undefined;
}

/** The doctor's conversation with clinic A's patient: a text, a file, a deleted text and a reply. */
async function conversationWithHistory() {
  const { a } = api.world;
  const doctor = api.clientAs(a.sessionOf(a.doctor));
  const patient = api.clientAs(a.sessionOf(a.patient));
  const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
  const conversationId = conversation.id;
  await patient.messages.send.mutate({ conversationId, clientId: "m-1", text: "first question" });
  const request = await patient.files.requestUpload.mutate({
    conversationId,
    clientId: "f-1",
    fileName: phi.fileName,
    sizeBytes: 2048,
    contentType: "application/pdf",
  });
  api.blobs.simulateUpload(request.upload.url, { sizeBytes: 2048, detectedType: "application/pdf" });
  await patient.files.confirmUpload.mutate({ fileId: request.fileId });
  const doomed = await patient.messages.send.mutate({
    conversationId,
    clientId: "m-2",
    text: phi.messageText,
  });
  await patient.messages.delete.mutate({ messageId: doomed.id });
  await doctor.messages.send.mutate({ conversationId, clientId: "m-3", text: "reply" });
  return { doctor, conversationId, fileId: request.fileId, deletedId: doomed.id };
}

function audit(): StoredAuditEvent[] {
  return (api.memory.dump() as { audit: StoredAuditEvent[] }).audit;
}

describe("INTEG-5 export for the chart", () => {
  it("INTEG-5 DEL-3: a Bundle of Communications, oldest first; a file by reference with type and size; a deleted message without content", async () => {
    const { a } = api.world;
    const { doctor, conversationId, fileId, deletedId } = await conversationWithHistory();
    const bundle = (await doctor.conversations.exportForChart.query({
      conversationId,
    })) as Bundle<Communication>;
    expect(bundle).toMatchObject({
      resourceType: "Bundle",
      type: "collection",
      identifier: { value: conversationId },
      total: 4,
    });
    const resources = (bundle.entry ?? []).map((e) => e.resource as Communication);
    expect(resources.map((r) => r.resourceType)).toEqual(Array(4).fill("Communication"));
    for (const [i, entry] of (bundle.entry ?? []).entries()) {
      expect(entry.fullUrl).toMatch(/^urn:/);
      const r = resources[i]!;
      expect(r.subject?.reference).toBe(`Patient/${a.patient.id}`);
      expect(Number.isNaN(Date.parse(r.sent ?? ""))).toBe(false);
      expect(r.sender?.reference).toMatch(/^(Patient|Practitioner)\//);
      expect(r.recipient?.length).toBeGreaterThan(0);
    }
    const [text, file, deleted, reply] = resources;
    expect(text).toMatchObject({
      status: "completed",
      sender: { reference: `Patient/${a.patient.id}` },
      recipient: [{ reference: `Practitioner/${a.doctor.id}` }],
      payload: [{ contentString: "first question" }],
    });
    expect(file?.payload).toEqual([
      {
        contentAttachment: {
          url: `urn:clinic-chat:file:${fileId}`,
          contentType: "application/pdf",
          size: 2048,
        },
      },
    ]);
    expect(deleted).toMatchObject({ id: deletedId, status: "entered-in-error" });
    expect(deleted?.payload).toBeUndefined();
    expect(reply).toMatchObject({ sender: { reference: `Practitioner/${a.doctor.id}` } });
    const json = JSON.stringify(bundle);
    // The file's name stays out, and the deleted text is gone (DEL-2); the patient's name is never in it.
    for (const marker of phiMarkers) expect(json).not.toContain(marker);
    expect(audit().at(-1)).toMatchObject({
      action: "conversation.export",
      conversationId,
      outcome: "success",
      actor: { kind: "staff", id: a.doctor.id },
    });
  });

  it("INTEG-5 SEC-3: other clinics, non-participants and patients are refused, and each refusal is audited", async () => {
    const { a, b } = api.world;
    const { conversationId } = await conversationWithHistory();
    const nurse = api.clientAs(a.sessionOf(a.nurse));
    const otherClinic = api.clientAs(b.sessionOf(b.doctor));
    const patient = api.clientAs(a.sessionOf(a.patient));
    expect(await codeOf(nurse.conversations.exportForChart.query({ conversationId }))).toBe("NOT_FOUND");
    expect(await codeOf(otherClinic.conversations.exportForChart.query({ conversationId }))).toBe(
      "NOT_FOUND",
    );
    // A patient is refused at the API's gate (staff only) before any use case runs.
    await expect(patient.conversations.exportForChart.query({ conversationId })).rejects.toThrow();
    const denied = audit().filter((e) => e.action === "conversation.export" && e.outcome === "denied");
    expect(denied.map((e) => e.actor?.id)).toEqual([a.nurse.id, b.doctor.id]);
  });
});
