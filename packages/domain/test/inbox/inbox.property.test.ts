import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultOfficeHours } from "../../src/hours/OfficeHours";
import { isOpenAt } from "../../src/hours/schedule";
import { autoReplyWindowMs } from "../../src/inbox/InboxState";
import type { Actor } from "../../src/people/people";
import { isDomainError } from "../../src/shared/DomainError";
import { clientId, createWorld, patientConversation } from "../usecases/support/world";

type Op =
  | { kind: "assign"; by: number; to: number }
  | { kind: "claim"; by: number }
  | { kind: "unassign"; by: number }
  | { kind: "close"; by: number }
  | { kind: "reopen"; by: number }
  | { kind: "patientMessage" }
  | { kind: "staffMessage"; by: number }
  | { kind: "read"; by: number }
  | { kind: "markUnread"; by: number }
  | { kind: "wait"; minutes: number };

/** Indexes into the staff: the practitioner and front desk take part, the admin does not. */
const staffIndex = fc.integer({ min: 0, max: 2 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("assign" as const), by: staffIndex, to: staffIndex }),
  fc.record({ kind: fc.constant("claim" as const), by: staffIndex }),
  fc.record({ kind: fc.constant("unassign" as const), by: staffIndex }),
  fc.record({ kind: fc.constant("close" as const), by: staffIndex }),
  fc.record({ kind: fc.constant("reopen" as const), by: staffIndex }),
  { arbitrary: fc.constant({ kind: "patientMessage" as const }), weight: 3 },
  fc.record({ kind: fc.constant("staffMessage" as const), by: staffIndex }),
  fc.record({ kind: fc.constant("read" as const), by: staffIndex }),
  fc.record({ kind: fc.constant("markUnread" as const), by: staffIndex }),
  {
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      minutes: fc.integer({ min: 1, max: 16 * 60 }),
    }),
    weight: 3,
  },
);

describe("INBOX-1 … INBOX-3, HOURS-3 any sequence of changes leaves a consistent inbox", () => {
  it("INBOX-1, INBOX-2, HOURS-3: closed is never awaiting reply, the assignee is an active staff participant, one automatic reply per 12 hours", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40, size: "max" }), async (ops) => {
        const world = await createWorld();
        const { a, chat } = world;
        // One hour a day: most messages come after hours, so the 12-hour window decides.
        const noon = [{ opens: 12 * 60, closes: 13 * 60 }];
        const hours = {
          ...defaultOfficeHours("America/Chicago"),
          weekly: {
            sunday: noon,
            monday: noon,
            tuesday: noon,
            wednesday: noon,
            thursday: noon,
            friday: noon,
            saturday: noon,
          },
          afterHoursReply: true,
        };
        await chat.changeOfficeHours(a.admin, hours);
        const id = await patientConversation(world, a.practitioner, a.patient);
        await chat.addParticipant(a.practitioner, { conversationId: id, staffId: a.frontDesk.person.id });
        const staff: Actor[] = [a.practitioner, a.frontDesk, a.admin];
        const participants = new Set([a.practitioner.person.id, a.frontDesk.person.id]);
        // The model: what the rules say the state must be.
        let status: "open" | "closed" = "open";
        let assignee: string | null = null;
        let lastSender: "staff" | "patient" | null = null;
        let lastAuto: number | null = null;
        let autoReplies = 0;
        const tolerate = async (work: Promise<unknown>, allowedWhen: boolean) => {
          try {
            await work;
            return true;
          } catch (error) {
            if (!isDomainError(error) || allowedWhen) throw error;
            return false;
          }
        };
        for (const op of ops) {
          const now = world.clock.now().getTime();
          switch (op.kind) {
            case "wait":
              world.clock.advance(op.minutes * 60_000);
              break;
            case "assign":
            case "claim": {
              const by = staff[op.by]!;
              const to = op.kind === "claim" ? by : staff[op.to]!;
              const ok = participants.has(by.person.id) && participants.has(to.person.id);
              const change =
                op.kind === "claim"
                  ? { kind: "claim" as const }
                  : { kind: "assign" as const, staffId: to.person.id };
              if (await tolerate(chat.changeInbox(by, { conversationId: id, change }), ok))
                assignee = to.person.id;
              break;
            }
            case "unassign":
            case "close":
            case "reopen": {
              const by = staff[op.by]!;
              if (
                await tolerate(
                  chat.changeInbox(by, { conversationId: id, change: { kind: op.kind } }),
                  participants.has(by.person.id),
                )
              ) {
                if (op.kind === "unassign") assignee = null;
                else status = op.kind === "close" ? "closed" : "open";
              }
              break;
            }
            case "patientMessage":
              await chat.sendMessage(a.patient, { conversationId: id, clientId: clientId(), text: "hello" });
              status = "open";
              lastSender = "patient";
              if (
                !isOpenAt(hours, new Date(now)) &&
                (lastAuto === null || now - lastAuto >= autoReplyWindowMs)
              ) {
                lastAuto = now;
                autoReplies++;
              }
              break;
            case "staffMessage": {
              const by = staff[op.by]!;
              if (
                await tolerate(
                  chat.sendMessage(by, { conversationId: id, clientId: clientId(), text: "hi" }),
                  participants.has(by.person.id),
                )
              )
                lastSender = "staff";
              break;
            }
            case "read": {
              const by = staff[op.by]!;
              await tolerate(
                chat.markRead(by, { conversationId: id, upToSeq: 1_000 }),
                participants.has(by.person.id),
              );
              break;
            }
            case "markUnread": {
              const by = staff[op.by]!;
              await tolerate(chat.markUnread(by, { conversationId: id }), participants.has(by.person.id));
              break;
            }
          }
          const { entries, inbox } = await chat.readTimeline(a.practitioner, { conversationId: id });
          expect(inbox).toEqual({
            status,
            assigneeId: assignee,
            awaitingReply: status === "open" && lastSender === "patient",
          });
          if (inbox?.status === "closed") expect(inbox.awaitingReply).toBe(false);
          if (inbox?.assigneeId) expect(participants.has(inbox.assigneeId)).toBe(true);
          const replies = entries.filter((e) => e.kind === "auto_reply").map((e) => e.at.getTime());
          expect(replies).toHaveLength(autoReplies);
          for (let i = 1; i < replies.length; i++) {
            expect(replies[i]! - replies[i - 1]!).toBeGreaterThanOrEqual(autoReplyWindowMs);
          }
          if (lastSender !== null) {
            const page = await chat.listInbox(a.frontDesk, { view: "awaiting", limit: 10 });
            expect(page.items.map((r) => r.conversationId)).toEqual(inbox?.awaitingReply ? [id] : []);
            expect(page.counts.open + page.counts.closed).toBe(1);
          }
        }
      }),
      { numRuns: 60 },
    );
    // Sixty runs of up to forty use cases each: more than the default five seconds on a busy machine.
  }, 60_000);
});
