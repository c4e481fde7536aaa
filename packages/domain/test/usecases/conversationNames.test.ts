import { beforeEach, describe, expect, it } from "vitest";
import { conversationTitleOf } from "../../src/chat/conversationName";
import { conversationNameOf, maxConversationNameLength } from "../../src/index";
import {
  auditTrail,
  createWorld,
  eventLog,
  patientConversation,
  refused,
  say,
  updateStaff,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

async function groupChat() {
  const { a, chat } = world;
  const { conversation } = await chat.startTeamChat(a.admin, {
    staffIds: [a.practitioner.person.id, a.frontDesk.person.id],
  });
  await say(world, a.admin, conversation.id, "Rota for next week");
  return conversation.id;
}

describe("naming group conversations", () => {
  it("ELIG-3: a staff participant names a Team Chat; everyone in it sees the name in the list and the conversation; the timeline records who renamed it", async () => {
    const { a, chat } = world;
    const conversationId = await groupChat();
    const answer = await chat.renameConversation(a.frontDesk, {
      conversationId,
      name: "  Front   desk rota ",
    });
    expect(answer).toEqual({ name: "Front desk rota", renamed: true });

    for (const person of [a.admin, a.practitioner, a.frontDesk]) {
      const details = await chat.openConversation(person, { conversationId });
      expect(details.conversation.name).toBe("Front desk rota");
      const list = await chat.listConversations(person, { limit: 10 });
      expect(list.items.find((i) => i.conversation.id === conversationId)?.conversation.name).toBe(
        "Front desk rota",
      );
    }
    const timeline = await chat.readTimeline(a.practitioner, { conversationId });
    expect(timeline.entries).toMatchObject([
      { kind: "renamed", actor: a.frontDesk.person, subjectStaffId: null },
    ]);
    const events = await eventLog(world, a.clinicId);
    expect(events.filter((e) => e.type === "conversation.renamed")).toMatchObject([
      { conversationId, person: a.frontDesk.person },
    ]);
    const audit = await auditTrail(world, a.clinicId);
    expect(audit.filter((e) => e.action === "conversation.rename")).toMatchObject([
      { conversationId, outcome: "success" },
    ]);

    // The same name again changes nothing; an empty one takes it away (the title falls back).
    expect(await chat.renameConversation(a.admin, { conversationId, name: "Front desk rota" })).toEqual({
      name: "Front desk rota",
      renamed: false,
    });
    expect(await chat.renameConversation(a.admin, { conversationId, name: "   " })).toEqual({
      name: null,
      renamed: true,
    });
    expect((await chat.openConversation(a.admin, { conversationId })).conversation.name).toBeNull();
    expect((await chat.readTimeline(a.admin, { conversationId })).entries).toHaveLength(2);
  });

  it("ELIG-4/ELIG-5: only its participants may rename it; others are answered as for an unknown conversation", async () => {
    const { a, b, chat } = world;
    const { conversation } = await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] });
    await say(world, a.admin, conversation.id, "Hello");
    await refused(
      chat.renameConversation(a.frontDesk, { conversationId: conversation.id, name: "Mine" }),
      "NOT_FOUND",
    );
    await refused(
      chat.renameConversation(b.admin, { conversationId: conversation.id, name: "Mine" }),
      "NOT_FOUND",
    );
    // ELIG-6: a deactivated participant may no longer rename it.
    await updateStaff(world, a.practitioner, { active: false });
    await refused(
      chat.renameConversation(a.practitioner, { conversationId: conversation.id, name: "Mine" }),
      "STAFF_INACTIVE",
    );
    expect(
      (await chat.openConversation(a.admin, { conversationId: conversation.id })).conversation.name,
    ).toBeNull();
  });

  it("ELIG-4: a patient conversation is not named, neither by its staff nor by its patient", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await refused(
      chat.renameConversation(a.practitioner, { conversationId, name: "Knee follow-up" }),
      "FORBIDDEN",
    );
    await refused(chat.renameConversation(a.patient, { conversationId, name: "My chat" }), "FORBIDDEN");
  });

  it("names are 1 to 60 characters of one line; longer ones and control characters are refused", async () => {
    const { a, chat } = world;
    const conversationId = await groupChat();
    await refused(
      chat.renameConversation(a.admin, { conversationId, name: "x".repeat(maxConversationNameLength + 1) }),
      "INVALID_INPUT",
    );
    await refused(chat.renameConversation(a.admin, { conversationId, name: "bell\u0007" }), "INVALID_INPUT");
    expect(conversationNameOf("é".repeat(maxConversationNameLength))).toEqual({
      ok: true,
      name: "é".repeat(maxConversationNameLength),
    });
    expect(conversationNameOf("a\tb\nc")).toEqual({ ok: true, name: "a b c" });
  });

  it("without a name, a conversation is titled by the other participants' names", () => {
    expect(conversationTitleOf("Rota", ["Dora Doctor"])).toBe("Rota");
    expect(conversationTitleOf(null, ["Dora Doctor", "Nina Nurse"])).toBe("Dora Doctor, Nina Nurse");
    expect(conversationTitleOf(null, [])).toBe("Only you");
  });
});
