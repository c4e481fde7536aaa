import { describe, expect, it } from "vitest";
import { retentionCutoff } from "../../src/records/Retention";
import {
  auditTrail,
  createWorld,
  dumpJson,
  eventLog,
  patientConversation,
  refused,
  say,
  sharedMessage,
  uploadFile,
  type World,
} from "../usecases/support/world";

const day = 86_400_000;

async function setUp(): Promise<{ world: World; held: string; open: string }> {
  const world = await createWorld();
  const { a } = world;
  const held = await patientConversation(world, a.practitioner, a.patient);
  const open = await patientConversation(world, a.practitioner, a.patientEmailOnly);
  return { world, held, open };
}

describe("REC-3 retention period", () => {
  it("REC-3: admins set the period in days, months or years within bounds, or none; others may not", async () => {
    const { world } = await setUp();
    const { a, chat } = world;
    expect(await chat.retentionSetting(a.admin)).toEqual({ period: null, setBy: null, setAt: null });
    const set = await chat.changeRetention(a.admin, { period: { amount: 7, unit: "years" } });
    expect(set).toMatchObject({ period: { amount: 7, unit: "years" }, setBy: { id: a.admin.person.id } });
    expect(await chat.retentionSetting(a.admin)).toEqual(set);
    for (const period of [
      { amount: 29, unit: "days" },
      { amount: 0, unit: "months" },
      { amount: 101, unit: "years" },
      { amount: 1.5, unit: "years" },
    ] as const) {
      await refused(chat.changeRetention(a.admin, { period }), "INVALID_INPUT");
    }
    await refused(chat.changeRetention(a.practitioner, { period: null }), "FORBIDDEN");
    await refused(chat.retentionSetting(a.frontDesk), "FORBIDDEN");
    await chat.changeRetention(a.admin, { period: null });
    expect((await chat.retentionSetting(a.admin)).period).toBeNull();
    const changes = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "settings.change");
    expect(changes.map((e) => e.outcome).sort()).toEqual([
      "denied",
      "denied",
      "denied",
      "denied",
      "denied",
      "success",
      "success",
    ]);
  });

  it("REC-3: the cut-off counts back whole calendar units from now", () => {
    const now = new Date("2030-03-15T10:00:00.000Z");
    expect(retentionCutoff({ amount: 30, unit: "days" }, now)).toEqual(new Date("2030-02-13T10:00:00.000Z"));
    expect(retentionCutoff({ amount: 2, unit: "months" }, now)).toEqual(new Date("2030-01-15T10:00:00.000Z"));
    expect(retentionCutoff({ amount: 7, unit: "years" }, now)).toEqual(new Date("2023-03-15T10:00:00.000Z"));
  });

  it("REC-3 REC-4 DEL-2 DEL-3: past the period, old messages and files go content-free in parts; held patients keep everything", async () => {
    const { world, held, open } = await setUp();
    const { a, chat, clock, blobs } = world;
    await chat.placeLegalHold(a.admin, { patientId: a.patient.person.id, reason: "Dispute" });
    await say(world, a.patient, held, "MARKER-HELD keep me");
    const openTexts = [];
    for (let i = 0; i < 5; i++) openTexts.push(await say(world, a.practitioner, open, `MARKER-OLD ${i}`));
    const { fileId, storageKey } = await uploadFile(world, a.practitioner, open, {
      fileName: "MARKER-OLD-FILE.pdf",
    });
    const file = sharedMessage(await chat.confirmFileUpload(a.practitioner, { fileId }));
    clock.advance(40 * day);
    const recent = await say(world, a.practitioner, open, "MARKER-RECENT");
    await chat.changeRetention(a.admin, { period: { amount: 30, unit: "days" } });
    clock.advance(1 * day);

    const outcome = await chat.runRetention(a.clinicId, { sliceSize: 2 });

    expect(outcome).toMatchObject({ deletedMessages: 6, deletedFiles: 1 });
    const dump = dumpJson(world);
    expect(dump).not.toContain("MARKER-OLD");
    expect(dump).toContain("MARKER-HELD");
    expect(dump).toContain("MARKER-RECENT");
    expect(blobs.objects.has(storageKey)).toBe(false);
    const history = await chat.readHistory(a.practitioner, { conversationId: open, limit: 20 });
    const deleted = history.messages.filter((m) => m.body.kind === "deleted").map((m) => m.id);
    expect(deleted.sort()).toEqual([...openTexts, file.id].sort());
    expect(history.messages.find((m) => m.id === recent)?.body.kind).toBe("text");
    const runs = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "retention.run");
    expect(runs).toEqual([
      expect.objectContaining({ actor: null, outcome: "success", reason: "messages=6 files=1" }),
    ]);
    const deletions = (await eventLog(world, a.clinicId)).filter((e) => e.type === "message.deleted");
    expect(deletions).toHaveLength(6);

    // A second run finds nothing more and records that it ran.
    expect(await chat.runRetention(a.clinicId)).toMatchObject({ deletedMessages: 0, deletedFiles: 0 });
  });

  it("REC-3: a run rests between its parts as long as its pace says, never after the last", async () => {
    const { world, open } = await setUp();
    const { a, chat, clock } = world;
    for (let i = 0; i < 5; i++) await say(world, a.practitioner, open, `MARKER-OLD ${i}`);
    await chat.changeRetention(a.admin, { period: { amount: 30, unit: "days" } });
    clock.advance(31 * day);
    let now = 0;
    const rests: number[] = [];
    // Every part seems to take 10 ms: a pace of a fifth owes 40 ms of rest after each.
    const resting = {
      elapsedMs: () => (now += 10),
      rest: async (ms: number) => {
        rests.push(ms);
      },
    };
    const pace = { share: 0.2, longestRestMs: 1_000 };
    const outcome = await chat.runRetention(a.clinicId, { sliceSize: 2, pace, resting });
    expect(outcome).toMatchObject({ deletedMessages: 5, deletedFiles: 0 });
    expect(rests).toEqual([40, 40]);
  });

  it("REC-3: a run cut off mid-way is resumed with its cut-off and counts; nothing is deleted twice", async () => {
    const { world, open } = await setUp();
    const { a, chat, clock, blobs } = world;
    for (let i = 0; i < 5; i++) await say(world, a.practitioner, open, `MARKER-OLD ${i}`);
    await chat.changeRetention(a.admin, { period: { amount: 30, unit: "days" } });
    clock.advance(31 * day);
    // The first attempt dies while removing the object of its second part: that part rolls back.
    const { fileId } = await uploadFile(world, a.practitioner, open, { fileName: "late.pdf" });
    await chat.confirmFileUpload(a.practitioner, { fileId });
    clock.advance(31 * day);
    await say(world, a.practitioner, open, "MARKER-LATER");
    blobs.outage.remove = 1;
    await expect(chat.runRetention(a.clinicId, { sliceSize: 3 })).rejects.toThrow();
    expect((await auditTrail(world, a.clinicId)).some((e) => e.action === "retention.run")).toBe(false);
    const halfway = await chat.readHistory(a.practitioner, { conversationId: open, limit: 20 });
    expect(halfway.messages.filter((m) => m.body.kind === "deleted")).toHaveLength(3);

    // The next day's run: the clock moved on, the cut-off of the run under way stays.
    clock.advance(1 * day);
    const outcome = await chat.runRetention(a.clinicId, { sliceSize: 3 });
    expect(outcome).toMatchObject({ deletedMessages: 6, deletedFiles: 1 });
    const runs = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "retention.run");
    expect(runs.map((r) => r.reason)).toEqual(["messages=6 files=1"]);
    const deletions = (await eventLog(world, a.clinicId)).filter((e) => e.type === "message.deleted");
    expect(new Set(deletions.map((e) => e.messageId)).size).toBe(deletions.length);
    expect(deletions).toHaveLength(6);
    expect(dumpJson(world)).toContain("MARKER-LATER");
  });
});
