import { randomUUID } from "node:crypto";
import {
  createClinicChat,
  type DomainError,
  defaultSettings,
  type NotificationDeps,
} from "@clinic-chat/domain";
import type { BlobStore } from "@clinic-chat/domain/files";
import { beforeAll, describe, expect, it } from "vitest";
import { newId, seedWorld, type World } from "../contract/fixtures";
import { scheduledTimers, usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

/** Storage that says every upload is a small PDF: enough to confirm file messages here. */
const pdfStorage: BlobStore = {
  presignUpload: async (key) => ({
    url: `https://storage.test/${key}`,
    method: "PUT",
    headers: {},
    expiresAt: new Date(),
  }),
  presignDownload: async (key) => ({
    url: `https://storage.test/${key}`,
    method: "GET",
    headers: {},
    expiresAt: new Date(),
  }),
  inspect: async () => ({ sizeBytes: 1200, detectedType: "application/pdf" }),
  read: async () => null,
  write: async () => undefined,
  remove: async () => undefined,
};

/** A seeded world with patient chat on and the given patients' portals active, and its use cases. */
async function chatWorld(activePatients: (world: World) => readonly World["patient"][]) {
  const world = await seedWorld(pg.factory);
  await world.run(async (s) => {
    await s.clinics.saveSettings(world.clinic.id, {
      ...defaultSettings("premium"),
      patientChatEnabled: true,
    });
    for (const patient of activePatients(world))
      await s.directory.savePatient({ ...patient, portalAccount: "active" });
  });
  const deps: NotificationDeps = {
    uow: world.uow,
    blobs: pdfStorage,
    clock: { now: () => new Date() },
    ids: { newId: () => randomUUID() },
    links: { staffApp: "https://clinic.test/staff", patientPortal: "https://clinic.test/portal" },
    email: { send: async () => undefined },
    sms: { send: async () => undefined },
  };
  return { world, chat: createClinicChat(deps) };
}

describe("idempotent sends on PostgreSQL (MSG-1)", () => {
  let world: World;
  let chat: ReturnType<typeof createClinicChat>;
  let conversationId: string;
  const patient = () => ({
    clinicId: world.clinic.id,
    person: { kind: "patient" as const, id: world.patient.id },
  });

  beforeAll(async () => {
    ({ world, chat } = await chatWorld((w) => [w.patient]));
    const staff = {
      clinicId: world.clinic.id,
      person: { kind: "staff" as const, id: world.practitioner.id },
    };
    conversationId = (await chat.startPatientChat(staff, { patientId: world.patient.id })).conversation.id;
  });

  it("MSG-1: overlapping retries with one client id all answer with the same message, stored once", async () => {
    const clientId = newId("client");
    const sends = Array.from({ length: 6 }, () =>
      chat.sendMessage(patient(), { conversationId, clientId, text: "are my results in?" }),
    );
    const ids = new Set((await Promise.all(sends)).map((m) => m.id));
    expect(ids.size).toBe(1);
    const history = await chat.readHistory(patient(), { conversationId, limit: 100 });
    expect(history.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
  });

  it("MSG-1: a client id used by a text message cannot become a file message (CONFLICT, nothing written)", async () => {
    const clientId = newId("client");
    await chat.sendMessage(patient(), { conversationId, clientId, text: "first" });
    const refused = await chat
      .requestFileUpload(patient(), {
        conversationId,
        clientId,
        fileName: "scan.pdf",
        sizeBytes: 1200,
        contentType: "application/pdf",
      })
      .then(
        () => null,
        (error: DomainError) => error,
      );
    expect(refused?.code).toBe("CONFLICT");
  });

  it("MSG-1: overlapping confirmations of one upload give one file message", async () => {
    const clientId = newId("client");
    const { fileId } = await chat.requestFileUpload(patient(), {
      conversationId,
      clientId,
      fileName: "scan.pdf",
      sizeBytes: 1200,
      contentType: "application/pdf",
    });
    const confirmations = await Promise.all(
      Array.from({ length: 4 }, () => chat.confirmFileUpload(patient(), { fileId })),
    );
    expect(new Set(confirmations.map((c) => (c.state === "shared" ? c.message.id : c.state))).size).toBe(1);
    expect(confirmations[0]?.state).toBe("shared");
    const history = await chat.readHistory(patient(), { conversationId, limit: 100 });
    expect(history.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
  });
});

describe("concurrent sends to one recipient on PostgreSQL (NOTIF-1)", () => {
  it("NOTIF-1: patients sending at once in two conversations of one practitioner open one burst for them, holding every message, with one timer", async () => {
    const { world, chat } = await chatWorld((w) => [w.patient, w.otherPatient]);
    const staff = {
      clinicId: world.clinic.id,
      person: { kind: "staff" as const, id: world.practitioner.id },
    };
    const senders = [world.patient, world.otherPatient];
    const conversations = await Promise.all(
      senders.map(async (p) => (await chat.startPatientChat(staff, { patientId: p.id })).conversation.id),
    );
    const sends = Array.from({ length: 12 }, (_, i) =>
      chat.sendMessage(
        { clinicId: world.clinic.id, person: { kind: "patient", id: senders[i % 2]!.id } },
        { conversationId: conversations[i % 2]!, clientId: newId("client"), text: `message ${i}` },
      ),
    );
    const sent = await Promise.all(sends);
    const practitioner = { kind: "staff", id: world.practitioner.id } as const;
    const state = await world.run((s) => s.notifications.state(practitioner));
    expect(state.status).toBe("pending");
    if (state.status !== "pending") return;
    // Every message joined the one burst, each once: deleting each in turn counts down to none.
    expect(new Set(sent.map((m) => m.id)).size).toBe(sent.length);
    expect(await world.run((s) => s.notifications.burstSize(practitioner, state.burstId))).toBe(sent.length);
    for (const [i, message] of sent.entries()) {
      const remaining = await world.run((s) =>
        s.notifications.leaveBurst(practitioner, state.burstId, { messageId: message.id }),
      );
      expect(remaining).toBe(sent.length - i - 1);
    }
    const timers = scheduledTimers.filter(
      (t) => t.timer.clinicId === world.clinic.id && t.timer.recipient.id === world.practitioner.id,
    );
    expect(timers.map((t) => t.timer.burstId)).toEqual([state.burstId]);
  });
});

describe("starting one chat at once on PostgreSQL (START-1)", () => {
  it("START-1: staff starting the same patient's chat at the same moment end in one conversation", async () => {
    const { world, chat } = await chatWorld((w) => [w.otherPatient]);
    // Several rounds, each with a fresh patient and eight starts at once, so the race is really run.
    for (let round = 0; round < 6; round++) {
      const patient = { ...world.otherPatient, id: newId("patient"), name: `Round ${round} Patient` };
      await world.run((s) => s.directory.savePatient(patient));
      const starters = [
        world.practitioner,
        world.admin,
        world.colleague,
        world.practitioner,
        world.admin,
        world.colleague,
        world.practitioner,
        world.admin,
      ];
      const started = await Promise.all(
        starters.map((s) =>
          chat.startPatientChat(
            { clinicId: world.clinic.id, person: { kind: "staff", id: s.id } },
            { patientId: patient.id },
          ),
        ),
      );
      expect(new Set(started.map((r) => r.conversation.id)).size).toBe(1);
      expect(started.filter((r) => r.created)).toHaveLength(1);
    }
  });
});
