import type { Appointment, AppointmentStore } from "../appointments/Appointment";
import type { AuditEvent, StoredAuditEvent } from "../audit/AuditEvent";
import type { AuditLog, AuditQuery } from "../audit/AuditLog";
import type { Conversation, ConversationSummary, Participant } from "../chat/Conversation";
import type { ConversationEvent, NewConversationEvent } from "../chat/ConversationEvent";
import type { Message, MessageBody } from "../chat/Message";
import type {
  ConversationListQuery,
  ConversationStore,
  EventLog,
  HistoryQuery,
  MessageStore,
  ParticipantFacts,
} from "../chat/ports";
import type { Clinic } from "../clinic/Clinic";
import type { ClinicStore } from "../clinic/ClinicStore";
import type { FileStore } from "../files/ports";
import type { StoredFile } from "../files/StoredFile";
import type {
  NotificationDelivery,
  NotificationState,
  NotificationTimer,
  PendingMessage,
} from "../notifications/model";
import type { NotificationQueue, NotificationStore } from "../notifications/ports";
import type { Directory, DirectoryMatch } from "../people/Directory";
import type { Person } from "../people/Person";
import { type Patient, type PersonRef, personKey, type StaffMember, samePerson } from "../people/people";
import { DomainError } from "../shared/DomainError";
import type { Stores, UnitOfWork } from "../shared/UnitOfWork";
import { deepCopy } from "./deepCopy";
import { nameMatchScore } from "./nameMatch";

/** Everything the in-memory ports hold, across clinics. Cloned per unit of work, so a failed one leaves no trace. */
interface World {
  clinics: Map<string, Clinic>;
  staff: Map<string, StaffMember>;
  patients: Map<string, Patient>;
  conversations: Map<string, Conversation>;
  participants: Map<string, Participant[]>;
  messages: Map<string, Message>;
  files: Map<string, StoredFile>;
  events: ConversationEvent[];
  nextEventId: number;
  audit: StoredAuditEvent[];
  nextAuditId: number;
  notificationStates: Map<string, NotificationState>;
  /** The messages of each recipient's burst, by state key, then by message id. */
  burstMessages: Map<string, Map<string, PendingMessage & { burstId: string }>>;
  deliveries: Map<string, NotificationDelivery>;
  timers: { timer: NotificationTimer; runAt: Date }[];
  appointments: Map<string, Appointment>;
}

function emptyWorld(): World {
  return {
    clinics: new Map(),
    staff: new Map(),
    patients: new Map(),
    conversations: new Map(),
    participants: new Map(),
    messages: new Map(),
    files: new Map(),
    events: [],
    nextEventId: 1,
    audit: [],
    nextAuditId: 1,
    notificationStates: new Map(),
    burstMessages: new Map(),
    deliveries: new Map(),
    timers: [],
    appointments: new Map(),
  };
}

/**
 * The domain's ports in memory, with the semantics of the real database: each `run` is one
 * serialised transaction bound to one clinic (what it wrote is discarded if it throws), and
 * nothing of another clinic can be seen through its stores. For tests and for products that
 * embed the domain without a database.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  private world: World = emptyWorld();
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `work` in a transaction bound to `clinicId`. */
  run<T>(clinicId: string, work: (stores: Stores) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      const draft = deepCopy(this.world);
      const value = await work(storesFor(draft, clinicId));
      this.world = draft;
      return value;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Timers scheduled by committed units of work, oldest first (for tests and the in-memory worker). */
  scheduledTimers(): readonly { timer: NotificationTimer; runAt: Date }[] {
    return deepCopy(this.world.timers);
  }

  /** Every committed row of every table, for tests that search storage for content that must be gone. */
  dump(): unknown {
    return deepCopy(this.world);
  }
}

function storesFor(world: World, clinicId: string): Stores {
  const inClinic = <T extends { clinicId: string }>(row: T | undefined): T | null =>
    row && row.clinicId === clinicId ? row : null;

  const clinics: ClinicStore = {
    async create(clinic) {
      if (clinic.id !== clinicId) throw new Error("clinic outside the unit of work");
      world.clinics.set(clinic.id, clinic);
    },
    async get(id) {
      return id === clinicId ? (world.clinics.get(id) ?? null) : null;
    },
    async saveSettings(id, settings) {
      const clinic = id === clinicId ? world.clinics.get(id) : undefined;
      if (clinic) world.clinics.set(id, { ...clinic, settings });
    },
    async savePlan(id, plan) {
      const clinic = id === clinicId ? world.clinics.get(id) : undefined;
      if (clinic) world.clinics.set(id, { ...clinic, plan });
    },
  };

  const search = <T extends { clinicId: string; name: string; id: string }>(
    rows: Iterable<T>,
    query: string,
    limit: number,
  ): DirectoryMatch<T>[] =>
    [...rows]
      .filter((row) => row.clinicId === clinicId)
      .map((person) => ({ person, score: nameMatchScore(person.name, query) }))
      .filter((match) => match.score > 0)
      .sort(
        (a, b) =>
          b.score - a.score ||
          a.person.name.localeCompare(b.person.name) ||
          a.person.id.localeCompare(b.person.id),
      )
      .slice(0, limit);

  const directory: Directory = {
    async staffMember(id) {
      return inClinic(world.staff.get(id));
    },
    async patient(id) {
      return inClinic(world.patients.get(id));
    },
    async staffMembers(ids) {
      return ids.map((id) => inClinic(world.staff.get(id))).filter((s): s is StaffMember => s !== null);
    },
    async searchPatients(query, limit) {
      return search(world.patients.values(), query, limit);
    },
    async searchStaff(query, limit) {
      return search(world.staff.values(), query, limit);
    },
    async listPatients(page) {
      const ordered = [...world.patients.values()]
        .filter((p) => p.clinicId === clinicId)
        .sort((a, b) => compareByName(a, b));
      const after = page.cursor ? ordered.findIndex((p) => `${p.id}` === page.cursor) : -1;
      const items = ordered.slice(after + 1, after + 1 + page.limit);
      const last = items[items.length - 1];
      return { items, nextCursor: last && after + 1 + page.limit < ordered.length ? last.id : null };
    },
    async availablePractitioners() {
      return [...world.staff.values()]
        .filter(
          (s) =>
            s.clinicId === clinicId && s.active && s.role === "practitioner" && s.availableForPatientChat,
        )
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async saveStaff(staff) {
      if (staff.clinicId !== clinicId) throw new Error("staff outside the unit of work's clinic");
      world.staff.set(staff.id, staff);
    },
    async savePatient(patient) {
      if (patient.clinicId !== clinicId) throw new Error("patient outside the unit of work's clinic");
      world.patients.set(patient.id, patient);
    },
    async setAvailability(staffId, available) {
      const staff = inClinic(world.staff.get(staffId));
      if (staff) world.staff.set(staffId, { ...staff, availableForPatientChat: available });
    },
  };

  const unreadFor = (conversationId: string, person: PersonRef, readUpToSeq: number): number => {
    let count = 0;
    for (const message of world.messages.values()) {
      if (
        message.conversationId === conversationId &&
        message.seq > readUpToSeq &&
        message.body.kind !== "deleted" &&
        !samePerson(message.sender, person)
      ) {
        count++;
      }
    }
    return count;
  };

  const membershipsOf = (person: PersonRef): { conversation: Conversation; participant: Participant }[] => {
    const result: { conversation: Conversation; participant: Participant }[] = [];
    for (const [conversationId, participants] of world.participants) {
      const conversation = inClinic(world.conversations.get(conversationId));
      const participant = participants.find((p) => samePerson(p.person, person));
      if (conversation && participant) result.push({ conversation, participant });
    }
    return result;
  };

  const personFacts = (ref: PersonRef): Person | null => {
    const staff = ref.kind === "staff" ? inClinic(world.staff.get(ref.id)) : null;
    if (staff) return { kind: "staff", staff };
    const patient = ref.kind === "patient" ? inClinic(world.patients.get(ref.id)) : null;
    return patient ? { kind: "patient", patient } : null;
  };

  const conversations: ConversationStore = {
    async get(id) {
      return inClinic(world.conversations.get(id));
    },
    async accessFacts(conversationId, person) {
      const conversation = inClinic(world.conversations.get(conversationId));
      return {
        clinic: world.clinics.get(clinicId) ?? null,
        person: personFacts(person),
        conversation,
        participants: conversation
          ? (world.participants.get(conversationId) ?? []).map(
              ({ person: ref }): ParticipantFacts => ({ ref, person: personFacts(ref) }),
            )
          : [],
        patient: conversation?.patientId ? inClinic(world.patients.get(conversation.patientId)) : null,
      };
    },
    async accessForPost(conversationId, person, query) {
      // Units of work run one at a time here, so reading is locking.
      const facts = await conversations.accessFacts(conversationId, person);
      const isParticipant = facts.participants.some((p) => samePerson(p.ref, person));
      const recipients = isParticipant
        ? facts.participants
            .map((p) => p.ref)
            .filter((ref) => !samePerson(ref, person) && query.lockStatesOf.includes(ref.kind))
            .sort((a, b) => (personKey(a) < personKey(b) ? -1 : 1))
        : [];
      return {
        ...facts,
        sentBefore: facts.conversation
          ? await messages.findByClientId(conversationId, person, query.clientId)
          : null,
        recipientStates: recipients.map((ref) => ({
          person: ref,
          state: world.notificationStates.get(stateKey(ref)) ?? { status: "idle" },
        })),
      };
    },
    async accessForPosts(requests) {
      distinctConversations(requests.map((r) => r.conversationId));
      const answers = [];
      for (const r of requests)
        answers.push(await conversations.accessForPost(r.conversationId, r.person, r));
      return answers;
    },
    async findByKey(key) {
      for (const conversation of world.conversations.values()) {
        if (conversation.clinicId === clinicId && conversation.key === key) return conversation;
      }
      return null;
    },
    async claimKey(key) {
      // Units of work run one at a time here, so finding is claiming.
      return conversations.findByKey(key);
    },
    async create(conversation, participants) {
      if (conversation.clinicId !== clinicId)
        throw new Error("conversation outside the unit of work's clinic");
      for (const existing of world.conversations.values()) {
        if (existing.clinicId === clinicId && existing.key === conversation.key)
          throw new Error("duplicate conversation key");
      }
      world.conversations.set(conversation.id, conversation);
      world.participants.set(
        conversation.id,
        participants.map((person) => ({
          conversationId: conversation.id,
          person,
          addedAt: conversation.createdAt,
          readUpToSeq: 0,
        })),
      );
    },
    async participants(conversationId) {
      return inClinic(world.conversations.get(conversationId))
        ? [...(world.participants.get(conversationId) ?? [])]
        : [];
    },
    async participant(conversationId, person) {
      if (!inClinic(world.conversations.get(conversationId))) return null;
      return world.participants.get(conversationId)?.find((p) => samePerson(p.person, person)) ?? null;
    },
    async addParticipant(conversationId, person, at) {
      if (!inClinic(world.conversations.get(conversationId))) return;
      const list = world.participants.get(conversationId) ?? [];
      if (!list.some((p) => samePerson(p.person, person))) {
        list.push({ conversationId, person, addedAt: at, readUpToSeq: 0 });
        world.participants.set(conversationId, list);
      }
    },
    async nextSeq(conversationId, at) {
      const conversation = inClinic(world.conversations.get(conversationId));
      if (!conversation) throw new Error("unknown conversation");
      const seq = conversation.lastSeq + 1;
      world.conversations.set(conversationId, { ...conversation, lastSeq: seq, lastActivityAt: at });
      return seq;
    },
    async markRead(conversationId, person, seq) {
      if (!inClinic(world.conversations.get(conversationId))) return 0;
      const list = world.participants.get(conversationId) ?? [];
      const index = list.findIndex((p) => samePerson(p.person, person));
      const current = list[index];
      if (!current) return 0;
      const readUpToSeq = Math.max(current.readUpToSeq, seq);
      list[index] = { ...current, readUpToSeq };
      return readUpToSeq;
    },
    async listFor(person, query: ConversationListQuery) {
      const ordered = membershipsOf(person).sort(
        (a, b) =>
          b.conversation.lastActivityAt.getTime() - a.conversation.lastActivityAt.getTime() ||
          (b.conversation.id < a.conversation.id ? -1 : b.conversation.id > a.conversation.id ? 1 : 0),
      );
      let start = 0;
      if (query.cursor) {
        const [time, id] = query.cursor.split("|");
        const cursorTime = Number(time);
        start = ordered.findIndex(
          ({ conversation: c }) =>
            c.lastActivityAt.getTime() < cursorTime ||
            (c.lastActivityAt.getTime() === cursorTime && c.id < (id ?? "")),
        );
        if (start < 0) start = ordered.length;
      }
      const page = ordered.slice(start, start + query.limit);
      const items: ConversationSummary[] = page.map(({ conversation, participant }) => ({
        conversation,
        participants: (world.participants.get(conversation.id) ?? []).map((p) => p.person),
        unreadCount: unreadFor(conversation.id, person, participant.readUpToSeq),
        readUpToSeq: participant.readUpToSeq,
      }));
      const last = page[page.length - 1];
      const nextCursor =
        last && start + query.limit < ordered.length
          ? `${last.conversation.lastActivityAt.getTime()}|${last.conversation.id}`
          : null;
      return { items, nextCursor };
    },
    async totalUnread(person) {
      return membershipsOf(person).reduce(
        (sum, { conversation, participant }) =>
          sum + unreadFor(conversation.id, person, participant.readUpToSeq),
        0,
      );
    },
  };

  const messages: MessageStore = {
    async get(id) {
      return inClinic(world.messages.get(id));
    },
    async findByClientId(conversationId, sender, clientId) {
      for (const message of world.messages.values()) {
        if (
          message.clinicId === clinicId &&
          message.conversationId === conversationId &&
          message.clientId === clientId &&
          samePerson(message.sender, sender)
        ) {
          return message;
        }
      }
      return null;
    },
    async claimClientId(conversationId, sender, clientId) {
      // Units of work run one at a time here, so finding is claiming.
      return messages.findByClientId(conversationId, sender, clientId);
    },
    async create(message) {
      if (message.clinicId !== clinicId) throw new Error("message outside the unit of work's clinic");
      if (world.messages.has(message.id)) throw new Error("duplicate message id");
      if (await messages.findByClientId(message.conversationId, message.sender, message.clientId)) {
        throw new Error("duplicate client id for this sender and conversation");
      }
      world.messages.set(message.id, message);
    },
    async postOnce(draft) {
      if (draft.clinicId !== clinicId) throw new Error("message outside the unit of work's clinic");
      const existing = await messages.findByClientId(draft.conversationId, draft.sender, draft.clientId);
      if (existing) return { message: existing, created: false };
      if (!inClinic(world.conversations.get(draft.conversationId))) throw new DomainError("NOT_FOUND");
      const seq = await conversations.nextSeq(draft.conversationId, draft.sentAt);
      const message: Message = { ...draft, seq };
      await messages.create(message);
      await events.append([
        {
          clinicId,
          conversationId: message.conversationId,
          type: "message.posted",
          messageId: message.id,
          person: message.sender,
          seq,
          at: message.sentAt,
        },
      ]);
      return { message, created: true };
    },
    async post(message) {
      if (message.clinicId !== clinicId) throw new Error("message outside the unit of work's clinic");
      const conversation = inClinic(world.conversations.get(message.conversationId));
      if (!conversation) throw new DomainError("NOT_FOUND");
      if (message.seq !== conversation.lastSeq + 1) throw new Error("a post out of sequence");
      await messages.create(message);
      const lastActivityAt = new Date(
        Math.max(message.sentAt.getTime(), conversation.lastActivityAt.getTime()),
      );
      world.conversations.set(conversation.id, { ...conversation, lastSeq: message.seq, lastActivityAt });
      await events.append([
        {
          clinicId,
          conversationId: message.conversationId,
          type: "message.posted",
          messageId: message.id,
          person: message.sender,
          seq: message.seq,
          at: message.sentAt,
        },
      ]);
    },
    async postAll(posts) {
      distinctConversations(posts.map((m) => m.conversationId));
      for (const message of posts) await messages.post(message);
    },
    async history(conversationId, query: HistoryQuery) {
      return [...world.messages.values()]
        .filter(
          (m) =>
            m.clinicId === clinicId &&
            m.conversationId === conversationId &&
            (query.beforeSeq === undefined || query.beforeSeq === null || m.seq < query.beforeSeq),
        )
        .sort((a, b) => b.seq - a.seq)
        .slice(0, query.limit);
    },
    async erase(id, body: Extract<MessageBody, { kind: "deleted" }>) {
      const message = inClinic(world.messages.get(id));
      if (message) world.messages.set(id, { ...message, body });
    },
  };

  const files: FileStore = {
    async get(id) {
      return inClinic(world.files.get(id));
    },
    async create(file) {
      if (file.clinicId !== clinicId) throw new Error("file outside the unit of work's clinic");
      world.files.set(file.id, file);
    },
    async markReady(id, checked) {
      const file = inClinic(world.files.get(id));
      if (file) world.files.set(id, { ...file, ...checked, state: "ready" });
    },
    async remove(id) {
      if (inClinic(world.files.get(id))) world.files.delete(id);
    },
    async stalePending(before, limit) {
      return [...world.files.values()]
        .filter((f) => f.clinicId === clinicId && f.state === "pending" && f.createdAt < before)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .slice(0, limit);
    },
  };

  const events: EventLog = {
    async append(newEvents: readonly NewConversationEvent[]) {
      for (const event of newEvents) {
        if (event.clinicId !== clinicId) throw new Error("event outside the unit of work's clinic");
        world.events.push({ ...event, id: world.nextEventId++ });
      }
    },
    async after(afterId, limit) {
      return world.events.filter((e) => e.clinicId === clinicId && e.id > afterId).slice(0, limit);
    },
  };

  const audit: AuditLog = {
    async append(event: AuditEvent) {
      if (event.clinicId !== clinicId) throw new Error("audit event outside the unit of work's clinic");
      world.audit.push({ ...event, id: String(world.nextAuditId++) });
    },
    async appendAll(events: readonly AuditEvent[]) {
      for (const event of events) await audit.append(event);
    },
    async list(query: AuditQuery) {
      const matching = world.audit
        .filter(
          (e) =>
            e.clinicId === clinicId &&
            (!query.action || e.action === query.action) &&
            (!query.conversationId || e.conversationId === query.conversationId) &&
            (!query.actorKey || (e.actor !== null && personKey(e.actor) === query.actorKey)) &&
            (!query.from || e.at >= query.from) &&
            (!query.to || e.at < query.to),
        )
        .sort((a, b) => Number(b.id) - Number(a.id));
      const start = query.cursor ? matching.findIndex((e) => Number(e.id) < Number(query.cursor)) : 0;
      const from = start < 0 ? matching.length : start;
      const items = matching.slice(from, from + query.limit);
      const last = items[items.length - 1];
      return { items, nextCursor: last && from + query.limit < matching.length ? last.id : null };
    },
  };

  const stateKey = (person: PersonRef) => `${clinicId}|${personKey(person)}`;
  const notifications: NotificationStore = {
    async state(recipient) {
      return world.notificationStates.get(stateKey(recipient)) ?? { status: "idle" };
    },
    async saveState(recipient, state) {
      world.notificationStates.set(stateKey(recipient), state);
      // The messages of a burst that ended go with it (all of them when the recipient is at rest).
      const burst = world.burstMessages.get(stateKey(recipient));
      for (const [id, m] of burst ?? []) {
        if (state.status === "idle" || m.burstId !== state.burstId) burst?.delete(id);
      }
    },
    async joinBurst(recipient, burstId, message) {
      const key = stateKey(recipient);
      const burst = world.burstMessages.get(key) ?? new Map();
      world.burstMessages.set(key, burst);
      if (burst.get(message.messageId)?.burstId !== burstId)
        burst.set(message.messageId, { ...message, burstId });
    },
    async leaveBurst(recipient, burstId, leaving) {
      const burst = world.burstMessages.get(stateKey(recipient)) ?? new Map();
      for (const [id, m] of burst) {
        const leaves =
          "messageId" in leaving
            ? id === leaving.messageId
            : m.conversationId === leaving.conversationId && m.seq <= leaving.upToSeq;
        if (leaves && m.burstId === burstId) burst.delete(id);
      }
      return [...burst.values()].filter((m) => m.burstId === burstId).length;
    },
    async burstSize(recipient, burstId) {
      const burst = world.burstMessages.get(stateKey(recipient)) ?? new Map();
      return [...burst.values()].filter((m) => m.burstId === burstId).length;
    },
    async lockStates(recipients) {
      return recipients.map(
        (recipient) => world.notificationStates.get(stateKey(recipient)) ?? { status: "idle" },
      );
    },
    async addDeliveries(deliveries) {
      for (const delivery of deliveries) {
        if (delivery.clinicId !== clinicId) throw new Error("delivery outside the unit of work's clinic");
        world.deliveries.set(delivery.id, delivery);
      }
    },
    async undelivered(burstId) {
      return [...world.deliveries.values()].filter(
        (d) => d.clinicId === clinicId && d.burstId === burstId && d.deliveredAt === null,
      );
    },
    async markDelivered(deliveryId, at) {
      const delivery = inClinic(world.deliveries.get(deliveryId));
      if (delivery) world.deliveries.set(deliveryId, { ...delivery, deliveredAt: at });
    },
  };

  const notificationQueue: NotificationQueue = {
    async schedule(timer, runAt) {
      if (timer.clinicId !== clinicId) throw new Error("timer outside the unit of work's clinic");
      world.timers.push({ timer, runAt });
    },
  };

  const appointments: AppointmentStore = {
    async get(id) {
      return inClinic(world.appointments.get(id));
    },
    async save(appointment) {
      if (appointment.clinicId !== clinicId) throw new Error("appointment outside the unit of work's clinic");
      world.appointments.set(appointment.id, appointment);
    },
    async between(range) {
      return [...world.appointments.values()]
        .filter((a) => a.clinicId === clinicId && a.startsAt >= range.from && a.startsAt < range.to)
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, range.limit);
    },
    async forPatient(patientId, limit) {
      return [...world.appointments.values()]
        .filter((a) => a.clinicId === clinicId && a.patientId === patientId)
        .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime() || (a.id < b.id ? 1 : -1))
        .slice(0, limit);
    },
  };

  return {
    clinics,
    directory,
    conversations,
    messages,
    files,
    events,
    audit,
    notifications,
    notificationQueue,
    appointments,
  };
}

/** Patient-list order: by name (case-insensitive), then id, so pages never overlap. */
function compareByName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  const byName =
    a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0;
  return byName || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The batch ports take one item per conversation: a second one is a programming error. */
function distinctConversations(ids: readonly string[]): void {
  if (new Set(ids).size !== ids.length) throw new Error("two posts into one conversation in one batch");
}
