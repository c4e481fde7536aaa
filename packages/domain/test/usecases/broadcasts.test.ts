import { beforeEach, describe, expect, it } from "vitest";
import type { BroadcastView } from "../../src/broadcasts/broadcastViews";
import { createClinicChat } from "../../src/createClinicChat";
import {
  auditTrail,
  clientId,
  createWorld,
  refused,
  scheduledTimers,
  updatePatient,
  updateStaff,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

/** Runs every waiting broadcast turn whose time has come, as the worker does, until none is left. */
async function runTurns(pace = { sliceSize: 2, pauseMs: 10, maxAttempts: 3, share: 0.5 }): Promise<string[]> {
  const outcomes: string[] = [];
  for (;;) {
    const turns = world.uow.takeBroadcastTurns();
    if (turns.length === 0) return outcomes;
    for (const { turn, at } of turns) {
      world.clock.advanceTo(at);
      outcomes.push(await world.chat.deliverBroadcastTurn(turn, pace));
    }
  }
}

function send(text = "The clinic is closed on Friday.", audience = { kind: "activePortal" as const }) {
  return world.chat.sendBroadcast(world.a.admin, {
    clientId: clientId(),
    content: { kind: "text", text },
    audience,
    sendAt: null,
  });
}

async function report(b: BroadcastView) {
  return world.chat.broadcastReport(world.a.admin, { broadcastId: b.id, limit: 100 });
}

describe("BCAST-1 recipients and eligibility", () => {
  it("BCAST-1: a selection is split into recipients and skipped patients, each with the reason (ELIG-1)", async () => {
    const { a, chat } = world;
    const preview = await chat.previewBroadcast(a.admin, {
      kind: "text",
      audience: {
        kind: "selection",
        patientIds: [
          a.patient,
          a.patientNone,
          a.patientInvited,
          a.patientDisabled,
          a.patientEmailOnly,
          a.patient,
        ].map((p) => p.person.id),
      },
    });
    expect(preview.recipients).toBe(2);
    expect(preview.skipped.map((s) => [s.patientId, s.reason])).toEqual([
      [a.patientNone.person.id, "PATIENT_PORTAL_INACTIVE"],
      [a.patientInvited.person.id, "PATIENT_PORTAL_INACTIVE"],
      [a.patientDisabled.person.id, "PATIENT_PORTAL_INACTIVE"],
    ]);
  });

  it("BCAST-1: another clinic's patients are never named, not even as skipped (ELIG-5)", async () => {
    const { a, b, chat } = world;
    const preview = await chat.previewBroadcast(a.admin, {
      kind: "text",
      audience: { kind: "selection", patientIds: [b.patient.person.id, a.patient.person.id] },
    });
    expect(preview).toEqual({ recipients: 1, skipped: [] });
  });

  it("BCAST-1: a practitioner's patients and patients with appointments in a date range", async () => {
    const { a, chat } = world;
    const at = (h: number) => new Date(Date.UTC(2030, 0, 8, h));
    await chat.bookAppointment(a.frontDesk, {
      patientId: a.patient.person.id,
      practitionerId: a.practitioner.person.id,
      // The day before the range below.
      startsAt: at(-15),
      endsAt: at(-14),
    });
    await chat.bookAppointment(a.frontDesk, {
      patientId: a.patientInvited.person.id,
      practitionerId: a.practitioner.person.id,
      startsAt: at(11),
      endsAt: at(12),
    });
    await chat.bookAppointment(a.frontDesk, {
      patientId: a.patientEmailOnly.person.id,
      practitionerId: a.unavailablePractitioner.person.id,
      startsAt: at(14),
      endsAt: at(15),
    });
    const ofPractitioner = await chat.previewBroadcast(a.admin, {
      kind: "text",
      audience: { kind: "practitioner", practitionerId: a.practitioner.person.id },
    });
    expect(ofPractitioner.recipients).toBe(1);
    expect(ofPractitioner.skipped.map((s) => s.patientId)).toEqual([a.patientInvited.person.id]);
    const inRange = await chat.previewBroadcast(a.admin, {
      kind: "text",
      audience: { kind: "appointments", from: "2030-01-08", to: "2030-01-08" },
    });
    expect(inRange.recipients).toBe(1);
    expect(inRange.skipped.map((s) => [s.patientId, s.reason])).toEqual([
      [a.patientInvited.person.id, "PATIENT_PORTAL_INACTIVE"],
    ]);
  });

  it("BCAST-1: only an active admin broadcasts; text needs a plan with patient messaging (ENT-1)", async () => {
    const { a, chat } = world;
    await refused(
      chat.previewBroadcast(a.frontDesk, { kind: "text", audience: { kind: "activePortal" } }),
      "FORBIDDEN",
    );
    await refused(
      chat.previewBroadcast(a.practitioner, { kind: "text", audience: { kind: "activePortal" } }),
      "FORBIDDEN",
    );
    await refused(
      chat.previewBroadcast(a.patient, { kind: "text", audience: { kind: "activePortal" } }),
      "FORBIDDEN",
    );
    await chat.changeClinicSettings(a.admin, { patientMessagingEnabled: false });
    await refused(send(), "SETTING_OFF");
  });
});

describe("BCAST-1 sending", () => {
  it("BCAST-1: each recipient gets one copy in their own conversation, with a notification (NOTIF-1) and an audit record each", async () => {
    const { a, chat } = world;
    const b = await send();
    expect(b.state).toBe("sending");
    expect(b.progress).toMatchObject({ waiting: 3, skipped: 0 });
    const outcomes = await runTurns();
    expect(outcomes).toEqual(["served", "finished"]);
    const done = await report(b);
    expect(done.broadcast.state).toBe("done");
    expect(done.broadcast.progress).toMatchObject({ sent: 3, waiting: 0 });
    const recipients = [a.patient, a.patientEmailOnly, a.patientNoSmsConsent];
    for (const r of recipients) {
      const [conversation] = (await chat.listConversations(r, { limit: 10 })).items;
      const history = await chat.readHistory(r, { conversationId: conversation!.conversation.id, limit: 10 });
      expect(history.messages.map((m) => (m.body.kind === "text" ? m.body.text : m.body.kind))).toEqual([
        "The clinic is closed on Friday.",
      ]);
    }
    expect(scheduledTimers(world).filter((t) => t.timer.recipient.kind === "patient")).toHaveLength(3);
    const trail = await auditTrail(world, a.clinicId);
    expect(trail.filter((e) => e.action === "broadcast.create" && e.broadcastId === b.id)).toHaveLength(1);
    expect(
      trail.filter(
        (e) => e.action === "broadcast.message" && e.broadcastId === b.id && e.outcome === "success",
      ),
    ).toHaveLength(3);
  });

  it("BCAST-1: a recipient who became ineligible before their turn is skipped with the reason (ELIG-1)", async () => {
    const { a } = world;
    const b = await send();
    await updatePatient(world, a.patientEmailOnly, { portalAccount: "disabled" });
    await runTurns();
    const lines = (await report(b)).recipients;
    expect(lines.find((l) => l.patientId === a.patientEmailOnly.person.id)).toMatchObject({
      status: "skipped",
      reason: "PATIENT_PORTAL_INACTIVE",
    });
    expect(lines.filter((l) => l.status === "sent")).toHaveLength(2);
  });

  it("BCAST-1: a turn tried again never posts a second copy (MSG-1)", async () => {
    const b = await send();
    const turns = world.uow.takeBroadcastTurns();
    await world.chat.deliverBroadcastTurn(turns[0]!.turn, {
      sliceSize: 10,
      pauseMs: 0,
      maxAttempts: 3,
      share: 0.5,
    });
    // The same job delivered twice (a worker died after committing): nothing more goes.
    expect(
      await world.chat.deliverBroadcastTurn(turns[0]!.turn, {
        sliceSize: 10,
        pauseMs: 0,
        maxAttempts: 3,
        share: 0.5,
      }),
    ).toBe("stopped");
    const sent = (await report(b)).recipients.filter((l) => l.status === "sent");
    expect(sent).toHaveLength(3);
  });

  it("BCAST-1: a broadcast author who lost the admin role sends nothing more", async () => {
    const { a } = world;
    const b = await send();
    await updateStaff(world, a.admin, { role: "staff" });
    await runTurns();
    const r = await world.chat
      .broadcastReport(world.a.admin, { broadcastId: b.id, limit: 10 })
      .catch((e: unknown) => e);
    expect(r).toMatchObject({ code: "FORBIDDEN" });
  });

  it("BCAST-1: a scheduled broadcast waits for its time", async () => {
    const sendAt = new Date(world.clock.now().getTime() + 3_600_000);
    const b = await world.chat.sendBroadcast(world.a.admin, {
      clientId: clientId(),
      content: { kind: "text", text: "Flu shots tomorrow" },
      audience: { kind: "activePortal" },
      sendAt,
    });
    expect(b.state).toBe("scheduled");
    const [turn] = world.uow.takeBroadcastTurns();
    expect(turn!.at).toEqual(sendAt);
  });
});

describe("BCAST-1 pacing", () => {
  it("BCAST-1: the next turn waits in proportion to the turn's own time (at half the time, as long as the turn took), so live chat gets the machine between turns", async () => {
    await send();
    const [first] = world.uow.takeBroadcastTurns();
    // A clock that moves on each reading, so the turn takes time; every reading is kept.
    const readings: number[] = [];
    const clock = {
      now: () => {
        world.clock.advance(50);
        readings.push(world.clock.now().getTime());
        return world.clock.now();
      },
    };
    const chat = createClinicChat({ ...world.deps, clock });
    const pace = { sliceSize: 2, pauseMs: 10, maxAttempts: 3, share: 0.5 };
    expect(await chat.deliverBroadcastTurn(first!.turn, pace)).toBe("served");
    const [next] = world.uow.takeBroadcastTurns();
    const started = readings[0]!;
    const scheduledAt = readings.find((r) => next!.at.getTime() - r === r - started);
    expect(scheduledAt).toBeDefined();
    expect(scheduledAt! - started).toBeGreaterThan(pace.pauseMs);
  });
});

describe("BCAST-1 cancelling", () => {
  it("BCAST-1: cancelling mid-way keeps what went and sends nothing more", async () => {
    const b = await send();
    const [first] = world.uow.takeBroadcastTurns();
    expect(
      await world.chat.deliverBroadcastTurn(first!.turn, {
        sliceSize: 2,
        pauseMs: 0,
        maxAttempts: 3,
        share: 0.5,
      }),
    ).toBe("served");
    const cancelled = await world.chat.cancelBroadcast(world.a.admin, { broadcastId: b.id });
    expect(cancelled.state).toBe("cancelled");
    expect(cancelled.progress).toMatchObject({ sent: 2, cancelled: 1, waiting: 0 });
    expect(await runTurns()).toEqual(["stopped"]);
    expect((await report(b)).broadcast.progress).toMatchObject({ sent: 2, cancelled: 1 });
  });

  it("BCAST-1: cancelling a finished broadcast changes nothing", async () => {
    const b = await send();
    await runTurns();
    const after = await world.chat.cancelBroadcast(world.a.admin, { broadcastId: b.id });
    expect(after.state).toBe("done");
    expect(after.progress).toMatchObject({ sent: 3, cancelled: 0 });
  });
});

describe("BCAST-1 a shared file (DEL-2)", () => {
  it("BCAST-1: one upload, a copy per recipient; deleting one copy keeps the object for the others; the last takes it", async () => {
    const { a, chat, blobs } = world;
    const { fileId, upload } = await chat.requestBroadcastFileUpload(a.admin, {
      fileName: "closure.pdf",
      sizeBytes: 1000,
      contentType: "application/pdf",
    });
    const key = decodeURI(new URL(upload.url).pathname.slice(1));
    blobs.objects.set(key, { sizeBytes: 1000, detectedType: "application/pdf" });
    await chat.confirmBroadcastFile(a.admin, { fileId });
    const b = await chat.sendBroadcast(a.admin, {
      clientId: clientId(),
      content: { kind: "file", fileId },
      audience: { kind: "activePortal" },
      sendAt: null,
    });
    await runTurns();
    const lines = (await report(b)).recipients.filter((l) => l.status === "sent");
    expect(lines).toHaveLength(3);
    const messages = [];
    for (const line of lines) {
      const history = await chat.readHistory(a.admin, { conversationId: line.conversationId!, limit: 5 });
      messages.push(history.messages[0]!);
    }
    for (const [i, m] of messages.entries()) {
      await chat.deleteMessage(a.admin, { messageId: m.id });
      expect(blobs.objects.has(key)).toBe(i < messages.length - 1);
    }
  });
});
