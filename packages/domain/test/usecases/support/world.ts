import { expect } from "vitest";
import type { StoredAuditEvent } from "../../../src/audit/AuditEvent";
import type { ConversationEvent } from "../../../src/chat/ConversationEvent";
import type { MessageView } from "../../../src/chat/views";
import { defaultSettings, type Plan } from "../../../src/clinic/Clinic";
import { type ClinicChat, createClinicChat } from "../../../src/createClinicChat";
import type { ConfirmedUpload } from "../../../src/files/confirmFileUpload";
import type { BlobInspection, BlobStore, MalwareScanner, PresignedUrl } from "../../../src/files/ports";
import type { ImagePreviewer } from "../../../src/files/previews";
import type { NotificationPayload, NotificationTimer } from "../../../src/notifications/model";
import type { EmailSender, SmsSender } from "../../../src/notifications/ports";
import type { Actor, Patient, PortalAccountState, StaffMember, StaffRole } from "../../../src/people/people";
import { DomainError, type DomainErrorCode } from "../../../src/shared/DomainError";
import type { NotificationDeps, SignInLinks } from "../../../src/shared/deps";
import type { Clock, Ids } from "../../../src/shared/ports";
import { InMemoryUnitOfWork } from "../../../src/testing/InMemoryUnitOfWork";

/** Where every scenario starts: a weekday morning. */
export const startOfScenario = new Date("2030-01-07T09:00:00.000Z");

/** A clock the test moves by hand; nothing ever sleeps. */
export class FakeClock implements Clock {
  private ms: number;
  constructor(start: Date = startOfScenario) {
    this.ms = start.getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (ms < 0) throw new Error("time only moves forward");
    this.ms += ms;
  }
  /** Moves time forward by `seconds`. */
  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
  /** Moves time to `at` if it is in the future. */
  advanceTo(at: Date): void {
    this.ms = Math.max(this.ms, at.getTime());
  }
}

/** Ids `id-0001`, `id-0002`, … in the order they are asked for. */
export class SequentialIds implements Ids {
  private next = 1;
  newId(): string {
    return `id-${String(this.next++).padStart(4, "0")}`;
  }
}

/** What the fake object storage holds for one key: the facts `inspect` reports. */
/** The facts an inspection of the object finds (what the S3 adapter reports). */
export type StoredObject = BlobInspection;

/**
 * Object storage in memory. Presigned URLs are fake but carry the key (as S3's do), so a test can
 * check that nothing else (such as a file name) leaks into them. Everything an upload was presigned
 * with is kept, so a test can check that no name reached storage.
 */
export class FakeBlobStore implements BlobStore {
  readonly objects = new Map<string, StoredObject>();
  /** Bytes planted with an object, for the malware scan to read (FILE-6). */
  readonly contents = new Map<string, Uint8Array>();
  readonly uploadUrls: {
    key: string;
    url: PresignedUrl;
    sizeBytes: number;
    contentType: string;
    /** Everything the upload was presigned with. */
    given: Readonly<Record<string, unknown>>;
  }[] = [];
  readonly downloadUrls: {
    key: string;
    url: PresignedUrl;
    expiresInSeconds: number;
  }[] = [];
  readonly removed: string[] = [];
  /** How many of the next calls of each operation throw, as an unreachable storage service would. */
  readonly outage = { remove: 0, presignDownload: 0 };

  constructor(private readonly clock: Clock) {}

  async presignUpload(
    key: string,
    upload: { sizeBytes: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedUrl> {
    const expiresAt = new Date(this.clock.now().getTime() + upload.expiresInSeconds * 1000);
    const url: PresignedUrl = {
      url: `https://blobs.test/${encodeURI(key)}?X-Amz-Expires=${upload.expiresInSeconds}&X-Amz-Signature=fake`,
      method: "PUT",
      headers: { "content-type": upload.contentType, "content-length": String(upload.sizeBytes) },
      expiresAt,
    };
    this.uploadUrls.push({
      key,
      url,
      sizeBytes: upload.sizeBytes,
      contentType: upload.contentType,
      given: { ...upload },
    });
    return url;
  }

  async presignDownload(
    key: string,
    download: { contentType: string; expiresInSeconds: number },
  ): Promise<PresignedUrl> {
    if (this.outage.presignDownload > 0) {
      this.outage.presignDownload--;
      throw new Error("storage unavailable");
    }
    const expiresAt = new Date(this.clock.now().getTime() + download.expiresInSeconds * 1000);
    const url: PresignedUrl = {
      url: `https://blobs.test/${encodeURI(key)}?X-Amz-Expires=${download.expiresInSeconds}&X-Amz-Signature=fake`,
      method: "GET",
      headers: {},
      expiresAt,
    };
    this.downloadUrls.push({
      key,
      url,
      expiresInSeconds: download.expiresInSeconds,
    });
    return url;
  }

  async inspect(key: string): Promise<BlobInspection | null> {
    const object = this.objects.get(key);
    return object ? { ...object } : null;
  }

  /** The object's bytes: those planted with it, or none. */
  async read(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    const object = this.objects.get(key);
    return object ? chunks([this.contents.get(key) ?? new Uint8Array(0)]) : null;
  }

  /** Bytes the server stored itself (a rendition, FILE-7). */
  async write(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.objects.set(key, { sizeBytes: bytes.byteLength, detectedType: contentType });
    this.contents.set(key, bytes);
  }

  async remove(key: string): Promise<void> {
    if (this.outage.remove > 0) {
      this.outage.remove--;
      throw new Error("storage unavailable");
    }
    this.removed.push(key);
    this.objects.delete(key);
    this.contents.delete(key);
  }

  /** What the browser's PUT to a presigned URL does: the object appears, with the facts to plant. */
  upload(key: string, object: StoredObject): void {
    this.objects.set(key, object);
  }
}

/** One notification as a provider received it. */
export interface SentNotification {
  readonly to: string;
  readonly payload: NotificationPayload;
}

/** An email or SMS provider that records what it sends and can be told to fail. */
export class RecordingSender implements EmailSender, SmsSender {
  readonly sent: SentNotification[] = [];
  attempts = 0;
  private failuresLeft = 0;

  /** The next `times` sends throw, as a provider outage would. */
  failNext(times: number): void {
    this.failuresLeft = times;
  }

  async send(to: string, payload: NotificationPayload): Promise<void> {
    this.attempts++;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error("provider unavailable");
    }
    this.sent.push({ to, payload });
  }

  /** Addresses sent to, in order. */
  recipients(): string[] {
    return this.sent.map((s) => s.to);
  }
}

/** Sign-in links: notifications may point there and nowhere more specific (NOTIF-4). */
export const links: SignInLinks = {
  staffApp: "https://staff.clinic-chat.test/sign-in",
  patientPortal: "https://portal.clinic-chat.test/sign-in",
};

/** The actors of one clinic, one for every role and portal state. */
export interface ClinicCast {
  readonly clinicId: string;
  readonly clinicName: string;
  readonly admin: Actor;
  /** A practitioner "Available for Chat with Patients". */
  readonly practitioner: Actor;
  /** A practitioner with availability off (ELIG-2). */
  readonly unavailablePractitioner: Actor;
  /** Front-desk staff (role `staff`). */
  readonly frontDesk: Actor;
  /** A deactivated staff member (ELIG-6). */
  readonly deactivated: Actor;
  /** Portal account `none`. */
  readonly patientNone: Actor;
  /** Portal account `invited`. */
  readonly patientInvited: Actor;
  /** Active portal account with email, mobile and SMS consent. */
  readonly patient: Actor;
  /** Active portal account with an email address only. */
  readonly patientEmailOnly: Actor;
  /** Active portal account with a mobile number but no SMS consent. */
  readonly patientNoSmsConsent: Actor;
  /** Portal account `disabled`. */
  readonly patientDisabled: Actor;
  readonly staff: readonly StaffMember[];
  readonly patients: readonly Patient[];
}

type StaffSeed = { key: string; name: string; role: StaffRole; active?: boolean; available?: boolean };
type PatientSeed = {
  key: string;
  name: string;
  portal: PortalAccountState;
  email?: string | null;
  mobile?: string | null;
  sms?: boolean;
};

interface ClinicSeed {
  readonly id: string;
  readonly name: string;
  readonly staff: readonly StaffSeed[];
  readonly patients: readonly PatientSeed[];
}

const clinicASeed: ClinicSeed = {
  id: "clinic-a",
  name: "Lakeside Clinic",
  staff: [
    { key: "admin", name: "Ada Lovelace", role: "admin" },
    { key: "practitioner", name: "Priya Raman", role: "practitioner" },
    { key: "unavailablePractitioner", name: "Omar Haddad", role: "practitioner", available: false },
    { key: "frontDesk", name: "Sam Fischer", role: "staff" },
    { key: "deactivated", name: "Greta Lind", role: "practitioner", active: false },
  ],
  patients: [
    { key: "patientNone", name: "Nora Quist", portal: "none", email: null },
    { key: "patientInvited", name: "Ivan Petrov", portal: "invited" },
    { key: "patient", name: "Harriet Okonkwo", portal: "active", mobile: "+15550100001", sms: true },
    { key: "patientEmailOnly", name: "Elena Marsh", portal: "active" },
    { key: "patientNoSmsConsent", name: "Milo Brandt", portal: "active", mobile: "+15550100002" },
    { key: "patientDisabled", name: "Dora Vance", portal: "disabled" },
  ],
};

const clinicBSeed: ClinicSeed = {
  id: "clinic-b",
  name: "Hillview Clinic",
  staff: [
    { key: "admin", name: "Boris Kane", role: "admin" },
    { key: "practitioner", name: "Petra Holm", role: "practitioner" },
    { key: "unavailablePractitioner", name: "Otto Weiss", role: "practitioner", available: false },
    { key: "frontDesk", name: "Sina Roth", role: "staff" },
    { key: "deactivated", name: "Gus Ober", role: "staff", active: false },
  ],
  patients: [
    { key: "patientNone", name: "Nadia Orr", portal: "none", email: null },
    { key: "patientInvited", name: "Ines Palm", portal: "invited" },
    // Shares a first name and a surname prefix with clinic A's patient: search must stay in its clinic.
    { key: "patient", name: "Harriet Okafor", portal: "active", mobile: "+15550200001", sms: true },
    { key: "patientEmailOnly", name: "Emil Marr", portal: "active" },
    { key: "patientNoSmsConsent", name: "Mara Bell", portal: "active", mobile: "+15550200002" },
    { key: "patientDisabled", name: "Dana Vogt", portal: "disabled" },
  ],
};

/** Every patient name of both clinics: none may appear in notifications or the audit trail. */
export const allPatientNames: readonly string[] = [...clinicASeed.patients, ...clinicBSeed.patients].map(
  (p) => p.name,
);

/** Everything a scenario needs: the bound use cases, the fakes behind them, and the cast. */
export interface World {
  readonly uow: InMemoryUnitOfWork;
  readonly clock: FakeClock;
  readonly ids: SequentialIds;
  readonly blobs: FakeBlobStore;
  readonly email: RecordingSender;
  readonly sms: RecordingSender;
  readonly deps: NotificationDeps;
  readonly chat: ClinicChat;
  /** Premium, patient chat on, SMS notifications off. */
  readonly a: ClinicCast;
  /** Enhanced, patient chat on, SMS notifications off. */
  readonly b: ClinicCast;
}

let ipCounter = 0;

/**
 * Two clinics, everyone in them, all created through the ports: A on Premium and B on Enhanced,
 * both with patient chat switched on (it is off by default).
 */
export async function createWorld(
  options: { readonly scanner?: MalwareScanner; readonly previewer?: ImagePreviewer } = {},
): Promise<World> {
  const uow = new InMemoryUnitOfWork();
  const clock = new FakeClock();
  const ids = new SequentialIds();
  const blobs = new FakeBlobStore(clock);
  const email = new RecordingSender();
  const sms = new RecordingSender();
  const deps: NotificationDeps = {
    uow,
    blobs,
    clock,
    ids,
    links,
    email,
    sms,
    ...(options.scanner ? { scanner: options.scanner } : {}),
    ...(options.previewer ? { previewer: options.previewer } : {}),
  };
  const a = await seedClinic(uow, clinicASeed, "premium");
  const b = await seedClinic(uow, clinicBSeed, "enhanced");
  return { uow, clock, ids, blobs, email, sms, deps, chat: createClinicChat(deps), a, b };
}

async function seedClinic(uow: InMemoryUnitOfWork, seed: ClinicSeed, plan: Plan): Promise<ClinicCast> {
  const clinicId = seed.id;
  const slug = clinicId.replace("clinic-", "");
  const staff: StaffMember[] = seed.staff.map((s) => ({
    id: `${slug}-staff-${s.key}`,
    clinicId,
    name: s.name,
    email: `${s.key.toLowerCase()}@${slug}.staff.test`,
    role: s.role,
    active: s.active ?? true,
    availableForPatientChat: s.available ?? true,
    emailNotifications: true,
  }));
  const patients: Patient[] = seed.patients.map((p) => ({
    id: `${slug}-patient-${p.key}`,
    clinicId,
    name: p.name,
    email: p.email === undefined ? `${p.key.toLowerCase()}@${slug}.patients.test` : p.email,
    mobilePhone: p.mobile ?? null,
    smsConsent: p.sms ?? false,
    portalAccount: p.portal,
  }));
  await uow.run(clinicId, async (s) => {
    await s.clinics.create({
      id: clinicId,
      name: seed.name,
      plan,
      timeZone: "UTC",
      settings: { ...defaultSettings(plan), patientChatEnabled: true },
    });
    for (const member of staff) await s.directory.saveStaff(member);
    for (const patient of patients) await s.directory.savePatient(patient);
  });
  const actor = (kind: "staff" | "patient", key: string): Actor => ({
    clinicId,
    person: { kind, id: `${slug}-${kind}-${key}` },
    ip: `198.51.100.${++ipCounter % 250}`,
  });
  return {
    clinicId,
    clinicName: seed.name,
    admin: actor("staff", "admin"),
    practitioner: actor("staff", "practitioner"),
    unavailablePractitioner: actor("staff", "unavailablePractitioner"),
    frontDesk: actor("staff", "frontDesk"),
    deactivated: actor("staff", "deactivated"),
    patientNone: actor("patient", "patientNone"),
    patientInvited: actor("patient", "patientInvited"),
    patient: actor("patient", "patient"),
    patientEmailOnly: actor("patient", "patientEmailOnly"),
    patientNoSmsConsent: actor("patient", "patientNoSmsConsent"),
    patientDisabled: actor("patient", "patientDisabled"),
    staff,
    patients,
  };
}

/** Changes a staff member through the directory port (deactivation, email preference…). */
export async function updateStaff(world: World, who: Actor, change: Partial<StaffMember>): Promise<void> {
  await world.uow.run(who.clinicId, async (s) => {
    const current = await s.directory.staffMember(who.person.id);
    if (!current) throw new Error(`no staff member ${who.person.id}`);
    await s.directory.saveStaff({ ...current, ...change });
  });
}

/** Changes a patient through the directory port (portal account state, contact…). */
export async function updatePatient(world: World, who: Actor, change: Partial<Patient>): Promise<void> {
  await world.uow.run(who.clinicId, async (s) => {
    const current = await s.directory.patient(who.person.id);
    if (!current) throw new Error(`no patient ${who.person.id}`);
    await s.directory.savePatient({ ...current, ...change });
  });
}

/** The clinic's audit trail, oldest first. */
export async function auditTrail(world: World, clinicId: string): Promise<StoredAuditEvent[]> {
  const page = await world.uow.run(clinicId, (s) => s.audit.list({ limit: 100_000 }));
  return [...page.items].reverse();
}

/** The newest audit record of a clinic. */
export async function lastAudit(world: World, clinicId: string): Promise<StoredAuditEvent> {
  const trail = await auditTrail(world, clinicId);
  const last = trail[trail.length - 1];
  if (!last) throw new Error("empty audit trail");
  return last;
}

/** The clinic's event log, oldest first. */
export function eventLog(world: World, clinicId: string): Promise<ConversationEvent[]> {
  return world.uow.run(clinicId, (s) => s.events.after(0, 100_000));
}

/** Every committed row of the in-memory database as JSON (Maps included), to search for content. */
export function dumpJson(world: World): string {
  return JSON.stringify(world.uow.dump(), mapsAsEntries);
}

/** Like {@link dumpJson} without the audit trail, to check that a refusal wrote nothing else. */
export function dumpWithoutAudit(world: World): string {
  const { audit: _audit, nextAuditId: _next, ...rest } = world.uow.dump() as Record<string, unknown>;
  return JSON.stringify(rest, mapsAsEntries);
}

function mapsAsEntries(_key: string, value: unknown): unknown {
  return value instanceof Map ? [...value.entries()] : value;
}

/** Awaits a use case that must be refused, checks the code, and returns the error. */
export async function refused(promise: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    return error as DomainError;
  }
  throw new Error(`expected a refusal with ${code}, got ${JSON.stringify(outcome)}`);
}

/** Awaits a use case that must be refused and returns the error, whatever its code. */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a refusal");
}

let clientCounter = 0;
/** A fresh client-chosen id for a send. */
export function clientId(): string {
  return `client-${++clientCounter}`;
}

/** Sends a text and returns the message's id. */
export async function say(world: World, actor: Actor, conversationId: string, text: string): Promise<string> {
  const message = await world.chat.sendMessage(actor, { conversationId, clientId: clientId(), text });
  return message.id;
}

/** The patient conversation of clinic A's active patient, started by A's practitioner. */
export async function patientConversation(world: World, staff: Actor, patientActor: Actor): Promise<string> {
  const { conversation } = await world.chat.startPatientChat(staff, { patientId: patientActor.person.id });
  return conversation.id;
}

/** The file facts of a well-behaved PDF upload. */
export const pdf = { sizeBytes: 120_000, contentType: "application/pdf" } as const;

/**
 * Shares a file the way the browser does: asks for an upload URL, PUTs the bytes (planting what
 * storage will detect), and returns the ids and key for the test to confirm or inspect.
 */
/** The file message a confirmed upload became: in these worlds without a scanner it is shared at once. */
export function sharedMessage(upload: ConfirmedUpload): MessageView {
  if (upload.state !== "shared") throw new Error(`the upload is ${upload.state}, not shared`);
  return upload.message;
}

export async function uploadFile(
  world: World,
  actor: Actor,
  conversationId: string,
  file: {
    fileName: string;
    sizeBytes?: number;
    contentType?: string;
    detectedType?: string | null;
    actualBytes?: number;
  },
): Promise<{ fileId: string; storageKey: string; url: PresignedUrl }> {
  const sizeBytes = file.sizeBytes ?? pdf.sizeBytes;
  const contentType = file.contentType ?? pdf.contentType;
  const { fileId, upload } = await world.chat.requestFileUpload(actor, {
    conversationId,
    clientId: clientId(),
    fileName: file.fileName,
    sizeBytes,
    contentType,
  });
  const presigned = world.blobs.uploadUrls[world.blobs.uploadUrls.length - 1];
  if (!presigned) throw new Error("no upload URL was presigned");
  world.blobs.upload(presigned.key, {
    sizeBytes: file.actualBytes ?? sizeBytes,
    detectedType: file.detectedType === undefined ? contentType : file.detectedType,
  });
  return { fileId, storageKey: presigned.key, url: upload };
}

/** Timers committed so far, with their run times. */
export function scheduledTimers(world: World): readonly { timer: NotificationTimer; runAt: Date }[] {
  return world.uow.scheduledTimers();
}

/**
 * What the notification worker does: runs every timer scheduled from index `from` on, each once
 * the clock has reached its run time, and returns the failures (a failing job is retried later).
 */
export async function runTimers(world: World, from = 0): Promise<{ ran: number; failures: unknown[] }> {
  const timers = scheduledTimers(world).slice(from);
  const failures: unknown[] = [];
  for (const { timer, runAt } of timers) {
    world.clock.advanceTo(runAt);
    try {
      await world.chat.handleNotificationTimer(timer);
    } catch (error) {
      failures.push(error);
    }
  }
  return { ran: timers.length, failures };
}

interface DumpedWorld {
  conversations: Map<string, { id: string; clinicId: string; kind: string }>;
  participants: Map<string, { person: { kind: string; id: string } }[]>;
  messages: Map<string, { id: string; clinicId: string; conversationId: string; body: { kind: string } }>;
  files: Map<string, { id: string; clinicId: string; storageKey: string; state: string; name: string }>;
  fileRefusals: Map<string, { fileId: string; reason: string }>;
  deliveries: Map<
    string,
    { id: string; burstId: string; channel: string; to: string; deliveredAt: Date | null }
  >;
}

/** The committed rows of the in-memory database, typed loosely for the few tables tests inspect. */
export function rows(world: World): DumpedWorld {
  return world.uow.dump() as DumpedWorld;
}

/** Ids of a conversation's participants, sorted. */
export function participantIds(world: World, conversationId: string): string[] {
  return (rows(world).participants.get(conversationId) ?? []).map((p) => p.person.id).sort();
}

/** The conversations stored for a clinic. */
export function conversationsOf(world: World, clinicId: string): { id: string; kind: string }[] {
  return [...rows(world).conversations.values()].filter((c) => c.clinicId === clinicId);
}

/** Bytes as a stream of chunks, as storage hands them out. */
export async function* chunks(parts: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part;
}
