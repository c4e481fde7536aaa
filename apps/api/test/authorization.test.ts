import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Session } from "../src/auth/session";
import { appRouter } from "../src/router";
import { startTestApi, type TestApi } from "./support/api";
import { testUuid } from "./support/fakes";
import { type Audience, procedureCases } from "./support/procedures";
import { phi } from "./support/world";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

/** Status, message and data of an error answer: everything a caller can observe. */
async function observed(path: string, type: "query" | "mutation", input: unknown, session: Session | null) {
  const { response, text } = await api.raw(path, type, input, session);
  const body = JSON.parse(text) as { error?: { message: string; data: unknown } };
  return { status: response.status, message: body.error?.message, data: body.error?.data };
}

const rank: Record<Audience, readonly string[]> = {
  public: ["staff", "admin", "patient"],
  "signed-in": ["staff", "admin", "patient"],
  staff: ["staff", "admin"],
  admin: ["admin"],
  patient: ["patient"],
};

describe("the API's gates", () => {
  it("the test catalogue lists every procedure of the router, with its type", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    // Subscriptions (live.events) stream over SSE; their gates and inputs are tested in test/live.
    const callable = Object.keys(procedures).filter((path) => procedures[path]?._def.type !== "subscription");
    expect(procedureCases.map((c) => c.path).sort()).toEqual(callable.sort());
    expect(Object.keys(procedures).filter((path) => !callable.includes(path))).toEqual(["live.events"]);
    for (const c of procedureCases) expect(procedures[c.path]?._def.type, c.path).toBe(c.type);
  });

  it("SEC-1 ACC-1 ADMIN-2: only signing in, signing out, accepting an invitation and resetting a forgotten password need no session", () => {
    expect(procedureCases.filter((c) => c.audience === "public").map((c) => c.path)).toEqual([
      "auth.signIn",
      "auth.signOut",
      "auth.acceptInvitation",
      "auth.staffInvitation",
      "auth.acceptStaffInvitation",
      "auth.requestPasswordReset",
      "auth.resetPassword",
    ]);
  });

  it("SEC-1: every other procedure refuses a request without a session with UNAUTHORIZED, before reading its input", async () => {
    for (const c of procedureCases.filter((p) => p.audience !== "public")) {
      for (const input of [c.sample(api.world), { junk: phi.textMarker }]) {
        const result = await observed(c.path, c.type, input, null);
        expect(result, c.path).toEqual({
          status: 401,
          message: "Your session has ended. Please sign in again.",
          data: { code: "UNAUTHORIZED", httpStatus: 401, domainCode: null, details: null, fields: null },
        });
      }
    }
  });

  it("ELIG-4: patients calling staff procedures, staff calling patient ones and non-admins calling admin ones get FORBIDDEN", async () => {
    const { a } = api.world;
    const callers: Record<string, Session> = {
      patient: a.sessionOf(a.patient),
      staff: a.sessionOf(a.nurse),
      admin: a.sessionOf(a.admin),
    };
    const before = api.memory.dump();
    let refusals = 0;
    for (const c of procedureCases) {
      for (const [who, session] of Object.entries(callers)) {
        if (rank[c.audience].includes(who)) continue;
        const result = await observed(c.path, c.type, c.sample(api.world), session);
        expect(result, `${who} → ${c.path}`).toMatchObject({
          status: 403,
          data: { code: "FORBIDDEN", domainCode: "FORBIDDEN" },
        });
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(15);
    expect(api.memory.dump()).toEqual(before); // the API's gate refuses before any use case runs
  });

  it("the domain checks the role again: a session claiming admin for a nurse is refused", async () => {
    const { a } = api.world;
    const forged: Session = { ...a.sessionOf(a.nurse), role: "admin" };
    const result = await observed("clinic.changeSettings", "mutation", { teamChatEnabled: false }, forged);
    expect(result).toMatchObject({ status: 403, data: { domainCode: "FORBIDDEN" } });
  });
});

describe("ELIG-5: nothing crosses clinics; a foreign id answers exactly like an unknown one", () => {
  /** Clinic A's doctor starts a chat with their patient and shares a message and a file in it. */
  async function clinicAContent() {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    const message = await doctor.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "m-1",
      text: phi.messageText,
    });
    const upload = await doctor.files.requestUpload.mutate({
      conversationId: conversation.id,
      clientId: "f-1",
      fileName: phi.fileName,
      sizeBytes: 100,
      contentType: "application/pdf",
    });
    api.blobs.simulateUpload(upload.upload.url, { sizeBytes: 100, detectedType: "application/pdf" });
    await doctor.files.confirmUpload.mutate({ fileId: upload.fileId });
    return { conversationId: conversation.id, messageId: message.id, fileId: upload.fileId };
  }

  it("ELIG-5: staff and patients of clinic B get NOT_FOUND for clinic A's conversations, messages, files and people", async () => {
    const { a, b } = api.world;
    const ids = await clinicAContent();
    const unknown = testUuid("0000beef", 7);
    const bDoctor = b.sessionOf(b.doctor);
    const bPatient = b.sessionOf(b.patient);
    const probes: {
      path: string;
      type: "query" | "mutation";
      session: Session;
      input: (id: string) => unknown;
      foreign: string;
    }[] = [
      {
        path: "conversations.open",
        type: "query",
        session: bDoctor,
        input: (id) => ({ conversationId: id }),
        foreign: ids.conversationId,
      },
      {
        path: "conversations.open",
        type: "query",
        session: bPatient,
        input: (id) => ({ conversationId: id }),
        foreign: ids.conversationId,
      },
      {
        path: "conversations.history",
        type: "query",
        session: bDoctor,
        input: (id) => ({ conversationId: id, limit: 10 }),
        foreign: ids.conversationId,
      },
      {
        path: "conversations.markRead",
        type: "mutation",
        session: bDoctor,
        input: (id) => ({ conversationId: id, upToSeq: 1 }),
        foreign: ids.conversationId,
      },
      {
        path: "conversations.addParticipant",
        type: "mutation",
        session: bDoctor,
        input: (id) => ({ conversationId: id, staffId: b.nurse.id }),
        foreign: ids.conversationId,
      },
      {
        path: "conversations.addParticipant",
        type: "mutation",
        session: a.sessionOf(a.doctor),
        input: (id) => ({ conversationId: ids.conversationId, staffId: id }),
        foreign: b.nurse.id,
      },
      {
        path: "messages.send",
        type: "mutation",
        session: bDoctor,
        input: (id) => ({ conversationId: id, clientId: "x", text: "hi" }),
        foreign: ids.conversationId,
      },
      {
        path: "messages.delete",
        type: "mutation",
        session: b.sessionOf(b.admin),
        input: (id) => ({ messageId: id }),
        foreign: ids.messageId,
      },
      {
        path: "files.requestUpload",
        type: "mutation",
        session: bDoctor,
        input: (id) => ({
          conversationId: id,
          clientId: "y",
          fileName: "a.pdf",
          sizeBytes: 10,
          contentType: "application/pdf",
        }),
        foreign: ids.conversationId,
      },
      {
        path: "files.confirmUpload",
        type: "mutation",
        session: bDoctor,
        input: (id) => ({ fileId: id }),
        foreign: ids.fileId,
      },
      {
        path: "files.download",
        type: "mutation",
        session: bDoctor,
        input: (id) => ({ fileId: id }),
        foreign: ids.fileId,
      },
      {
        path: "conversations.startWithPatient",
        type: "mutation",
        session: bDoctor,
        input: (id) => ({ patientId: id }),
        foreign: a.patient.id,
      },
      {
        path: "conversations.startTeam",
        type: "mutation",
        session: bDoctor,
        input: (id) => ({ staffIds: [id] }),
        foreign: a.nurse.id,
      },
      {
        path: "conversations.patientStart",
        type: "mutation",
        session: bPatient,
        input: (id) => ({ practitionerId: id }),
        foreign: a.doctor.id,
      },
    ];
    for (const probe of probes) {
      const foreign = await observed(probe.path, probe.type, probe.input(probe.foreign), probe.session);
      const missing = await observed(probe.path, probe.type, probe.input(unknown), probe.session);
      expect(foreign, probe.path).toEqual(missing);
      expect(foreign, probe.path).toMatchObject({
        status: 404,
        message: "We couldn't find that. It may have been deleted.",
        data: { code: "NOT_FOUND", domainCode: "NOT_FOUND" },
      });
    }
  });

  it("ELIG-4/ELIG-5: a staff member of the same clinic who is not in the conversation gets the same NOT_FOUND", async () => {
    const { a } = api.world;
    const ids = await clinicAContent();
    const nurse = a.sessionOf(a.nurse);
    const notMine = await observed(
      "conversations.open",
      "query",
      { conversationId: ids.conversationId },
      nurse,
    );
    const unknown = await observed(
      "conversations.open",
      "query",
      { conversationId: testUuid("0000beef", 8) },
      nurse,
    );
    expect(notMine).toEqual(unknown);
  });

  it("ELIG-5: search in clinic B never finds clinic A's patient, and a session naming another clinic's person finds nothing", async () => {
    const { a, b } = api.world;
    const bNurse = api.clientAs(b.sessionOf(b.nurse));
    expect(await bNurse.people.search.mutate({ kind: "patient", query: "Ophelia", limit: 10 })).toEqual([]);
    const mixed: Session = {
      clinicId: b.clinicId,
      person: { kind: "staff", id: a.doctor.id },
      role: "practitioner",
    };
    const result = await observed("conversations.list", "query", { limit: 10 }, mixed);
    expect(result).toMatchObject({ status: 404, data: { domainCode: "NOT_FOUND" } });
  });
});
