import { randomUUID } from "node:crypto";
import {
  type Clinic,
  type Conversation,
  DomainError,
  defaultSettings,
  type Message,
  type Patient,
  type PersonRef,
  patientConversationKey,
  type StaffMember,
  type Stores,
  type UnitOfWork,
} from "@clinic-chat/domain";

/** Yields a fresh unit of work over the storage under test. */
export type UnitOfWorkFactory = () => UnitOfWork | Promise<UnitOfWork>;

/** A unique id for this run, so tests sharing one database never collide. */
export function newId(prefix = "id"): string {
  return `${prefix}-${randomUUID()}`;
}

/** A fixed instant plus `minutes`: tests never read the clock. */
export function at(minutes: number): Date {
  return new Date(Date.UTC(2026, 0, 1, 9, 0, 0) + minutes * 60_000);
}

/** Two clinics and their people, created through the ports themselves. */
export interface World {
  readonly uow: UnitOfWork;
  readonly clinic: Clinic;
  readonly otherClinic: Clinic;
  readonly admin: StaffMember;
  readonly practitioner: StaffMember;
  readonly colleague: StaffMember;
  readonly patient: Patient;
  readonly otherPatient: Patient;
  /** A staff member of the other clinic. */
  readonly foreignStaff: StaffMember;
  /** A patient of the other clinic, named like one of ours. */
  readonly foreignPatient: Patient;
  /** Runs work in `clinic`. */
  run<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
  /** Runs work in `otherClinic`. */
  runOther<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
}

/** A staff member of `clinicId`. */
export function staffOf(clinicId: string, name: string, extra: Partial<StaffMember> = {}): StaffMember {
  return {
    id: newId("staff"),
    clinicId,
    name,
    email: `${newId("mail")}@clinic.test`,
    role: "staff",
    active: true,
    availableForPatientChat: true,
    emailNotifications: true,
    ...extra,
  };
}

/** A patient of `clinicId` with an active portal account. */
export function patientOf(clinicId: string, name: string, extra: Partial<Patient> = {}): Patient {
  return {
    id: newId("patient"),
    clinicId,
    name,
    email: `${newId("mail")}@patient.test`,
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "active",
    ...extra,
  };
}

/** Creates two clinics with their people through `clinics.create`, `saveStaff` and `savePatient`. */
export async function seedWorld(factory: UnitOfWorkFactory): Promise<World> {
  const uow = await factory();
  const clinic: Clinic = {
    id: newId("clinic"),
    name: "Lakeside Clinic",
    plan: "premium",
    // ADMIN-1: a zone other than the column's default, so reading it back proves it is stored.
    timeZone: "America/Chicago",
    settings: defaultSettings("premium"),
  };
  const otherClinic: Clinic = {
    id: newId("clinic"),
    name: "Hillside Clinic",
    plan: "enhanced",
    timeZone: "UTC",
    settings: defaultSettings("enhanced"),
  };
  const admin = staffOf(clinic.id, "Ada Admin", { role: "admin" });
  const practitioner = staffOf(clinic.id, "Paula Practitioner", { role: "practitioner" });
  const colleague = staffOf(clinic.id, "Colin Colleague");
  const patient = patientOf(clinic.id, "Jane Smith", { mobilePhone: "+15550100", smsConsent: true });
  const otherPatient = patientOf(clinic.id, "Maria Garcia");
  const foreignStaff = staffOf(otherClinic.id, "Ada Admin", { role: "admin" });
  const foreignPatient = patientOf(otherClinic.id, "Jane Smith");
  await uow.run(clinic.id, async (s) => {
    await s.clinics.create(clinic);
    for (const staff of [admin, practitioner, colleague]) await s.directory.saveStaff(staff);
    for (const p of [patient, otherPatient]) await s.directory.savePatient(p);
  });
  await uow.run(otherClinic.id, async (s) => {
    await s.clinics.create(otherClinic);
    await s.directory.saveStaff(foreignStaff);
    await s.directory.savePatient(foreignPatient);
  });
  return {
    uow,
    clinic,
    otherClinic,
    admin,
    practitioner,
    colleague,
    patient,
    otherPatient,
    foreignStaff,
    foreignPatient,
    run: (work) => uow.run(clinic.id, work),
    runOther: (work) => uow.run(otherClinic.id, work),
  };
}

/** A person reference. */
export function ref(person: StaffMember | Patient): PersonRef {
  return "role" in person ? { kind: "staff", id: person.id } : { kind: "patient", id: person.id };
}

/** A new patient conversation of `world.clinic` (not stored). */
export function patientConversation(
  world: World,
  patient: Patient = world.patient,
  createdAt = at(0),
): Conversation {
  return {
    id: newId("conv"),
    clinicId: world.clinic.id,
    kind: "patient",
    patientId: patient.id,
    key: patientConversationKey(patient.id),
    createdAt,
    lastActivityAt: createdAt,
    lastSeq: 0,
    name: null,
  };
}

/** Posts a text message the way the send use case does: reserve the conversation, then post the next number. */
export async function postText(
  stores: Stores,
  conversationId: string,
  sender: PersonRef,
  text: string,
  sentAt: Date,
): Promise<Message> {
  const clientId = newId("client");
  const [facts] = await stores.conversations.reserveForPosting([
    { conversationId, person: sender, clientId, recipientsToNotify: [] },
  ]);
  const conversation = facts!.conversation!;
  const message: Message = {
    id: newId("msg"),
    clinicId: conversation.clinicId,
    conversationId,
    seq: conversation.lastSeq + 1,
    clientId,
    sender,
    sentAt,
    body: { kind: "text", text },
  };
  await stores.messages.post([message]);
  return message;
}

/**
 * Posts a message once per sender's client id through the ports, as the posting pipeline does:
 * reserve the conversation, answer the message sent before with the client id, or post the next
 * number. NOT_FOUND when the conversation is not there.
 */
export async function postOnce(
  stores: Stores,
  draft: Omit<Message, "seq">,
): Promise<{ message: Message; created: boolean }> {
  const [facts] = await stores.conversations.reserveForPosting([
    {
      conversationId: draft.conversationId,
      person: draft.sender,
      clientId: draft.clientId,
      recipientsToNotify: [],
    },
  ]);
  if (!facts?.conversation) throw new DomainError("NOT_FOUND");
  if (facts.sentBefore) return { message: facts.sentBefore, created: false };
  const message: Message = { ...draft, seq: facts.conversation.lastSeq + 1 };
  await stores.messages.post([message]);
  return { message, created: true };
}

/** Sorts person refs for set comparison. */
export function sortRefs(refs: readonly PersonRef[]): PersonRef[] {
  return [...refs].sort((a, b) => `${a.kind}:${a.id}`.localeCompare(`${b.kind}:${b.id}`));
}

/** A new team conversation of `world.clinic` among `staff` (not stored). */
export function teamConversation(
  world: World,
  staff: readonly StaffMember[],
  createdAt = at(0),
): Conversation {
  return {
    id: newId("conv"),
    clinicId: world.clinic.id,
    kind: "team",
    patientId: null,
    key: `team:${newId("key")}:${staff
      .map((s) => s.id)
      .sort()
      .join(",")}`,
    createdAt,
    lastActivityAt: createdAt,
    lastSeq: 0,
    name: null,
  };
}
