import { personKey } from "@clinic-chat/domain";
import type { LiveMembershipSource } from "./liveDecide";
import type { LiveHistoryReads } from "./liveReads";
import {
  type LiveClinic,
  type LiveOpenRequest,
  LivePerson,
  LiveSessionGroup,
  type LiveStream,
} from "./liveStreams";

/**
 * The open streams of one process, by clinic, person and session (the Cookie header that carries
 * it): a person and a session exist while they have a stream, so each batch reaches only the
 * people of its clinic and each person's state is shared by all their streams.
 */
export class LiveRegistry {
  readonly clinics = new Map<string, LiveClinic>();
  /** Open streams now. */
  subscribers = 0;

  constructor(
    private readonly membership: LiveMembershipSource,
    private readonly reads: LiveHistoryReads,
    /** Ends the person's streams when their membership cannot be loaded. */
    private readonly membershipFailed: (person: LivePerson, error: unknown) => void,
  ) {}

  /** The person of a request, created (and their membership loading) when they have no stream yet. */
  personFor(request: LiveOpenRequest): LivePerson {
    const clinicId = request.session.clinicId;
    let clinic = this.clinics.get(clinicId);
    if (!clinic) {
      clinic = { id: clinicId, people: new Map() };
      this.clinics.set(clinicId, clinic);
    }
    const key = personKey(request.session.person);
    const found = clinic.people.get(key);
    if (found) return found;
    const created = new LivePerson(
      clinic,
      key,
      request.session.person,
      request.actor,
      request.api,
      this.reads,
    );
    created.ready = this.membership.conversationsOf(clinicId, created.person).then(
      (membership) => {
        for (const id of created.membership) membership.add(id);
        created.membership = membership;
        created.loaded = true;
        return true;
      },
      (error: unknown) => {
        this.membershipFailed(created, error);
        return false;
      },
    );
    clinic.people.set(key, created);
    return created;
  }

  /** The person's session of a request, created when it has no stream yet. */
  groupFor(person: LivePerson, request: LiveOpenRequest): LiveSessionGroup {
    const cookie = request.credentials.cookieHeader;
    let group = person.sessions.get(cookie);
    if (!group) {
      group = new LiveSessionGroup(person, request.session, request.credentials);
      person.sessions.set(cookie, group);
    }
    return group;
  }

  /** Registers an open stream under its session. */
  add(stream: LiveStream): void {
    stream.group.streams.add(stream);
    this.subscribers++;
  }

  /** Forgets a stream and, when it was the last, its session, person and clinic. */
  forget(stream: LiveStream): void {
    const group = stream.group;
    if (!group.streams.delete(stream)) return;
    this.subscribers--;
    if (group.streams.size > 0) return;
    const person = group.person;
    if (person.sessions.get(group.credentials.cookieHeader) === group)
      person.sessions.delete(group.credentials.cookieHeader);
    if (person.sessions.size > 0) return;
    const clinic = person.clinic;
    if (clinic.people.get(person.key) === person) clinic.people.delete(person.key);
    person.batches = [];
    person.waiting = 0;
    if (clinic.people.size === 0 && this.clinics.get(clinic.id) === clinic) this.clinics.delete(clinic.id);
  }

  /** Every person with open streams, clinic by clinic. */
  *people(): Generator<LivePerson> {
    for (const clinic of [...this.clinics.values()]) yield* [...clinic.people.values()];
  }

  /** Every open stream. */
  *streams(): Generator<LiveStream> {
    for (const person of this.people()) yield* person.streams();
  }
}
