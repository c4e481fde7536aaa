import { createClinicChat, defaultSettings } from "@clinic-chat/domain";
import type { BlobStore } from "@clinic-chat/domain/files";
import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";

// Your adapters plug into the domain's ports; these are tiny in-memory ones.
const presigned = (key: string, method: "PUT" | "GET", seconds: number) => ({
  url: `https://files.example/${key}`,
  method,
  headers: {},
  expiresAt: new Date(Date.now() + seconds * 1000),
});
const blobs: BlobStore = {
  presignUpload: async (key, upload) => presigned(key, "PUT", upload.expiresInSeconds),
  presignDownload: async (key, download) => presigned(key, "GET", download.expiresInSeconds),
  inspect: async () => null, // a real store sniffs the type from the object's first bytes
  read: async () => null,
  write: async () => {},
  remove: async () => {},
};
export const outbox: string[] = [];
let lastId = 0;
export const uow = new InMemoryUnitOfWork();
export const chat = createClinicChat({
  uow,
  blobs,
  clock: { now: () => new Date() },
  ids: { newId: () => `id-${++lastId}` },
  links: { staffApp: "https://staff.example", patientPortal: "https://portal.example" },
  email: { send: async (to, note) => void outbox.push(`email to ${to}: ${note.text}`) },
  sms: { send: async (to, note) => void outbox.push(`sms to ${to}: ${note.text}`) },
});

// Onboarding writes through the same unit of work: a clinic, an admin and a patient.
const clinicId = "clinic-1";
await uow.run(clinicId, async (stores) => {
  await stores.clinics.create({
    id: clinicId,
    name: "Maple Clinic",
    plan: "enhanced",
    timeZone: "UTC",
    settings: defaultSettings("enhanced"),
  });
  await stores.directory.saveStaff({
    id: "dr-lee",
    clinicId,
    name: "Dr. Lee",
    email: "lee@maple.example",
    role: "admin",
    active: true,
    availableForPatientChat: true,
    emailNotifications: true,
  });
  await stores.directory.savePatient({
    id: "ana",
    clinicId,
    name: "Ana Ortiz",
    email: "ana@example.org",
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "active",
  });
});

// Every use case takes the acting person first.
const drLee = { clinicId, person: { kind: "staff", id: "dr-lee" } } as const;
await chat.changeClinicSettings(drLee, { patientChatEnabled: true }); // off by default
export const { conversation } = await chat.startPatientChat(drLee, { patientId: "ana" });
export const message = await chat.sendMessage(drLee, {
  conversationId: conversation.id,
  clientId: "msg-1", // a retry with the same client id returns this message, never a copy
  text: "Your lab results are ready.",
});
