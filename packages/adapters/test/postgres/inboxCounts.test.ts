import type { PersonRef, Stores } from "@clinic-chat/domain";
import { type InboxCounts, type InboxView, inboxViews, newInboxState } from "@clinic-chat/domain/inbox";
import fc from "fast-check";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import {
  at,
  newId,
  patientConversation,
  patientOf,
  postText,
  ref,
  seedWorld,
  teamConversation,
  type World,
} from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

// INBOX-1: the views and their counts are read from the copy of each conversation's inbox state
// its memberships carry (migration 0038), or from the conversation while a new membership's copy
// is stale. After any sequence of what changes a conversation's state or its memberships, through
// the stores as the use cases call them, every staff member's counts and pages must equal the ones
// computed from scratch from the conversations themselves.

const { factory, database } = usePostgresUnitOfWork();

/** The definition: each view over the staff member's memberships joined to their conversations. */
const fromScratchCondition: Record<InboxView, string> = {
  unassigned: "c.inbox_status = 'open' and c.assignee_id is null",
  mine: "c.inbox_status = 'open' and c.assignee_id = p.person_id",
  open: "c.inbox_status = 'open'",
  awaiting: "c.inbox_status = 'open' and c.last_sender_kind = 'patient'",
  closed: "c.inbox_status = 'closed'",
};

const inboxOf = (clinicId: string, staffId: string) => sql`
  from conversation_participants p
  join conversations c on c.clinic_id = p.clinic_id and c.id = p.conversation_id
  where p.clinic_id = ${clinicId} and p.person_kind = 'staff' and p.person_id = ${staffId}
    and c.kind = 'patient' and c.last_seq > 0 and not p.quiet`;

async function countsFromScratch(clinicId: string, staffId: string): Promise<InboxCounts> {
  const counts = Object.fromEntries(
    await Promise.all(
      inboxViews.map(async (view) => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n ${inboxOf(clinicId, staffId)}
          and ${sql.raw(fromScratchCondition[view])}`.execute(database().inspect);
        return [view, rows[0]!.n];
      }),
    ),
  );
  return counts as unknown as InboxCounts;
}

async function viewFromScratch(clinicId: string, staffId: string, view: InboxView): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`select c.id ${inboxOf(clinicId, staffId)}
    and ${sql.raw(fromScratchCondition[view])}
    order by p.last_activity_at desc, p.conversation_id desc`.execute(database().inspect);
  return rows.map((r) => r.id);
}

/** What changes a conversation's inbox state or who takes part in it, by index into the run's pools. */
type Step =
  | { kind: "open"; patient: number; staff: number[]; quiet: number[] }
  | { kind: "team"; staff: number[] }
  | { kind: "post"; conversation: number; byPatient: boolean; staff: number }
  | {
      kind: "save";
      conversation: number;
      closed: boolean;
      assignee: number | null;
      lastSender: "staff" | "patient" | null;
    }
  | { kind: "add"; conversation: number; staff: number };

const staffIndex = fc.nat({ max: 2 });
const staffSet = fc.uniqueArray(staffIndex, { maxLength: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("open" as const),
    patient: fc.nat({ max: 2 }),
    staff: staffSet,
    quiet: staffSet,
  }),
  fc.record({ kind: fc.constant("team" as const), staff: staffSet }),
  fc.record({
    kind: fc.constant("post" as const),
    conversation: fc.nat(),
    byPatient: fc.boolean(),
    staff: staffIndex,
  }),
  fc.record({
    kind: fc.constant("post" as const),
    conversation: fc.nat(),
    byPatient: fc.boolean(),
    staff: staffIndex,
  }),
  fc.record({
    kind: fc.constant("save" as const),
    conversation: fc.nat(),
    closed: fc.boolean(),
    assignee: fc.option(staffIndex, { freq: 2 }),
    lastSender: fc.constantFrom("staff" as const, "patient" as const, null),
  }),
  fc.record({ kind: fc.constant("add" as const), conversation: fc.nat(), staff: staffIndex }),
);

describe("the inbox's views and counts kept on the memberships (PostgreSQL)", () => {
  it("INBOX-1: after any sequence of opening, posting, assigning, closing, reopening and adding members, every staff member's counts and views equal a count from scratch", async () => {
    let world: World;
    const staff = () => [world.admin, world.practitioner, world.colleague];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        // A clinic of its own per run, so that a counterexample stands on its own.
        world = await seedWorld(factory);
        const patients = [
          patientOf(world.clinic.id, "Ann Lee"),
          patientOf(world.clinic.id, "Bo Park"),
          world.patient,
        ];
        await world.run(async (s) => {
          for (const p of patients.slice(0, 2)) await s.directory.savePatient(p);
        });
        // This run's conversations: patient ones (with their patient) and Team Chat ones.
        const conversations: { id: string; patient: PersonRef | null }[] = [];
        let minute = 0;
        const pick = (i: number) => conversations[i % conversations.length];
        for (const st of steps) {
          minute += 1;
          await world.run(async (s: Stores) => {
            if (st.kind === "open") {
              const patient = patients[st.patient]!;
              const conversation = { ...patientConversation(world, patient, at(minute)), key: newId("key") };
              const people = [ref(patient), ...st.staff.map((i) => ref(staff()[i]!))];
              const quietly = st.quiet.filter((i) => st.staff.includes(i)).map((i) => ref(staff()[i]!));
              const [opened] = await s.conversations.openPatientConversations([
                { conversation, people, quietly },
              ]);
              conversations.push({ id: opened!.conversation.id, patient: ref(patient) });
            } else if (st.kind === "team") {
              const members = st.staff.map((i) => staff()[i]!);
              const team = teamConversation(world, members, at(minute));
              await s.conversations.create(team, members.map(ref));
              conversations.push({ id: team.id, patient: null });
            } else {
              const target = pick(st.conversation);
              if (!target) return;
              if (st.kind === "post") {
                const sender = st.byPatient && target.patient ? target.patient : ref(staff()[st.staff]!);
                await postText(s, target.id, sender, "A question about my results", at(minute));
                // As the posting pipeline follows a post in the inbox: who wrote last, and a
                // patient's message reopening the conversation (INBOX-2).
                const state = await s.inbox.get(target.id);
                if (state) {
                  const status = sender.kind === "patient" ? "open" : state.status;
                  if (status !== state.status || sender.kind !== state.lastSenderKind)
                    await s.inbox.save({ ...state, status, lastSenderKind: sender.kind });
                }
              } else if (st.kind === "add") {
                await s.conversations.addParticipant(target.id, ref(staff()[st.staff]!), at(minute));
              } else if (target.patient) {
                await s.inbox.save({
                  ...newInboxState(target.id),
                  status: st.closed ? "closed" : "open",
                  assigneeId: st.assignee === null ? null : staff()[st.assignee]!.id,
                  lastSenderKind: st.lastSender,
                });
              }
            }
          });
          for (const member of staff()) {
            expect(await world.run((s) => s.inbox.counts(member.id))).toEqual(
              await countsFromScratch(world.clinic.id, member.id),
            );
          }
        }
        for (const member of staff()) {
          for (const view of inboxViews) {
            const page = await world.run((s) => s.inbox.list(member.id, { view, limit: 1000 }));
            expect(page.items.map((r) => r.conversation.id)).toEqual(
              await viewFromScratch(world.clinic.id, member.id, view),
            );
          }
        }
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
