import { conversationLabel, nameRecords } from "../audit/auditNames";
import { singleLine } from "../notifications/channels";
import type { NotificationPayload } from "../notifications/model";
import { loadActing } from "../people/loadPerson";
import { type Actor, personKey, samePerson } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps, NotificationDeps } from "../shared/deps";
import {
  canAskEmergencyAccess,
  type EmergencyGrant,
  emergencyAccessMinutes,
  emergencyReasonOf,
  holdsEmergencyAccess,
} from "./EmergencyAccess";

/** Where an admin stands with a conversation before reading it: no names, nothing of its content. */
export interface EmergencyStanding {
  readonly kind: "patient" | "team";
  /** True when the admin is in it already: they open it as usual. */
  readonly participant: boolean;
  /** Until when their live emergency grant runs; null when they hold none. */
  readonly until: Date | null;
}

/**
 * REC-7: whether an admin is in a conversation, and until when they may read it in an emergency.
 * Admins only; an unknown or another clinic's conversation is NOT_FOUND (ELIG-5). Tells nothing
 * PHI (no names), so it is not an access to audit.
 */
export async function emergencyStanding(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string },
): Promise<EmergencyStanding> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const facts = await stores.conversations.accessFacts(input.conversationId, actor.person);
    if (!facts.conversation || !facts.person) throw new DomainError("NOT_FOUND");
    const participant = facts.participants.some((p) => samePerson(p.ref, actor.person));
    const live = holdsEmergencyAccess(facts.person, facts.emergencyUntil, deps.clock.now());
    return {
      kind: facts.conversation.kind,
      participant,
      until: live && !participant ? (facts.emergencyUntil ?? null) : null,
    };
  });
}

/** The PHI-free email every other admin gets: the clinic's name and where to look, nothing else. */
export function emergencyAccessEmail(clinicName: string, link: string): NotificationPayload {
  const clinic = singleLine(clinicName) || "your clinic";
  const safeLink = singleLine(link);
  return {
    subject: `Emergency access was used at ${clinic}`,
    text: `An administrator used emergency access in ${clinic}; see the audit trail. Sign in to read it.\n\n${safeLink}`,
    clinicName: clinic,
    link: safeLink,
  };
}

/**
 * REC-7: an admin opens a conversation they are not part of, giving a reason, for one hour: read
 * only, unless they join it the usual way. The grant (with its reason) is kept in its own store;
 * the audit record names the conversation only. Every other active admin of the clinic is told:
 * in the app (see {@link recentEmergencyAccess}) and by a PHI-free email, sent once the grant is
 * kept (a failed email does not undo the grant; it stays in the app's list).
 */
export async function openInEmergency(
  deps: NotificationDeps,
  actor: Actor,
  input: { conversationId: string; reason: string },
): Promise<{ until: Date; adminsTold: number }> {
  const { grant, clinicName, tell } = await audited(
    deps,
    actor,
    "conversation.emergency_open",
    async (stores, targets) => {
      targets.conversationId = input.conversationId;
      const admin = await loadActing(stores, actor, { as: "admin" });
      const facts = await stores.conversations.accessFacts(input.conversationId, actor.person);
      if (!facts.conversation || !facts.clinic || facts.conversation.clinicId !== actor.clinicId)
        throw new DomainError("NOT_FOUND");
      assertAllowed(canAskEmergencyAccess(facts.participants.some((p) => samePerson(p.ref, actor.person))));
      const reason = emergencyReasonOf(input.reason);
      if (!reason.ok) assertAllowed(reason.decision);
      const now = deps.clock.now();
      const kept: EmergencyGrant = {
        id: deps.ids.newId(),
        clinicId: actor.clinicId,
        conversationId: facts.conversation.id,
        adminId: admin.id,
        reason: reason.ok ? reason.reason : "",
        grantedAt: now,
        expiresAt: new Date(now.getTime() + emergencyAccessMinutes * 60_000),
      };
      await stores.emergencyAccess.grant(kept);
      const others = (await stores.directory.activeStaff()).filter(
        (s) => s.role === "admin" && s.id !== admin.id,
      );
      return { grant: kept, clinicName: facts.clinic.name, tell: others.map((s) => s.email) };
    },
  );
  const payload = emergencyAccessEmail(clinicName, deps.links.staffApp);
  const sent = await Promise.allSettled(tell.map((to) => deps.email.send(to, payload)));
  return { until: grant.expiresAt, adminsTold: sent.filter((s) => s.status === "fulfilled").length };
}

/** One emergency access as admins see it in the app (REC-7). */
export interface EmergencyNotice {
  readonly id: string;
  readonly conversationId: string;
  /** "Ada Lovelace (admin)". */
  readonly adminName: string;
  /** "the conversation with Elena Park (b. 1984-03-02)". */
  readonly conversation: string;
  readonly reason: string;
  readonly grantedAt: Date;
  readonly expiresAt: Date;
  /** True for the reader's own grants. */
  readonly mine: boolean;
}

/** How far back the app's list of emergency access goes. */
export const emergencyNoticeDays = 30;

/**
 * REC-7: the clinic's emergency access of the last {@link emergencyNoticeDays} days, newest first,
 * with who, which conversation and why: how the other admins are told in the app. Admins only;
 * reading it is audited as reading the audit trail, which it is part of.
 */
export function recentEmergencyAccess(deps: ChatDeps, actor: Actor): Promise<EmergencyNotice[]> {
  return audited(deps, actor, "audit.read", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const since = new Date(deps.clock.now().getTime() - emergencyNoticeDays * 86_400_000);
    const grants = await stores.emergencyAccess.grantedSince(since, 100);
    const names = await nameRecords(
      stores,
      grants.map((g) => ({
        id: g.id,
        clinicId: g.clinicId,
        actor: { kind: "staff", id: g.adminId },
        action: "conversation.emergency_open",
        conversationId: g.conversationId,
        at: g.grantedAt,
        ip: null,
        outcome: "success",
      })),
    );
    return grants.map((g) => ({
      id: g.id,
      conversationId: g.conversationId,
      adminName:
        names.people.get(personKey({ kind: "staff", id: g.adminId }))?.label ?? "a former team member",
      conversation: conversationLabel(names, g.conversationId),
      reason: g.reason,
      grantedAt: g.grantedAt,
      expiresAt: g.expiresAt,
      mine: g.adminId === actor.person.id,
    }));
  });
}

/**
 * REC-7: how many times other admins used emergency access in the last day: the app's notice
 * beside the audit trail. A count, no names: not an access to audit, so the app may ask often.
 */
export function emergencyNoticeCount(deps: ChatDeps, actor: Actor): Promise<{ count: number }> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const since = new Date(deps.clock.now().getTime() - 86_400_000);
    const grants = await stores.emergencyAccess.grantedSince(since, 100);
    return { count: grants.filter((g) => g.adminId !== actor.person.id).length };
  });
}
