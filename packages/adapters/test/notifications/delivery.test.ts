import { randomUUID } from "node:crypto";
import type { AuditEvent, Stores, UnitOfWork } from "@clinic-chat/domain";
import { createClinicChat, personKey } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timerJobKey } from "../../src/pg-boss/index";
import { type NotificationWorld, patientConversation, say, startNotificationWorld } from "./support/world";

// The whole path over real infrastructure: the domain's use cases on PostgreSQL (as the app role,
// RLS on), timers enqueued by pg-boss inside the use case's transaction, the worker firing them,
// and real SMTP and SMS servers on loopback receiving what is sent.

let world: NotificationWorld;

beforeAll(async () => {
  world = await startNotificationWorld();
});

afterAll(async () => {
  await world?.close();
});

/** Moves the domain's clock past a clinic's delay, then lets a worker fire every due timer. */
async function fireTimers(delaySeconds = 60): Promise<void> {
  world.clock.advanceSeconds(delaySeconds + 1);
  await world.drain();
}

describe("coalescing over pg-boss", () => {
  it("NOTIF-1: a burst of 20 patient messages gives each of the two staff one job and exactly one email", async () => {
    const clinic = await world.seedClinic();
    const conversationId = await patientConversation(world, clinic);
    const patient = clinic.patients.pat!;
    // Concurrent sends: the recipients' state rows serialise them, as they would from many tabs.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => say(world, patient.actor, conversationId, `message ${i}`)),
    );

    const jobs = await world.jobs(clinic.clinicId);
    expect(jobs).toHaveLength(2);
    expect(jobs.map((job) => job.data.recipient.id).sort()).toEqual(
      [clinic.staff.ada!, clinic.staff.sam!].map((s) => s.actor.person.id).sort(),
    );
    expect(new Set(jobs.map((job) => job.singleton_key)).size).toBe(2);

    await fireTimers();
    expect(world.smtp.to(clinic.staff.ada!.email)).toHaveLength(1);
    expect(world.smtp.to(clinic.staff.sam!.email)).toHaveLength(1);
    expect(world.smtp.to(patient.email)).toHaveLength(0);
    expect((await world.jobs(clinic.clinicId)).map((job) => job.state)).toEqual(["completed", "completed"]);
  });

  it("NOTIF-2: a staff member who reads the conversation in time gets no email; the other still does", async () => {
    const clinic = await world.seedClinic();
    const conversationId = await patientConversation(world, clinic);
    const patient = clinic.patients.pat!;
    await say(world, patient.actor, conversationId, "first");
    const last = await say(world, patient.actor, conversationId, "second");
    world.clock.advanceSeconds(30);
    await world.chat.markRead(clinic.staff.ada!.actor, { conversationId, upToSeq: last.seq });

    await fireTimers();
    expect(world.smtp.to(clinic.staff.ada!.email)).toHaveLength(0);
    expect(world.smtp.to(clinic.staff.sam!.email)).toHaveLength(1);
  });

  it("DEL-4: deleting the only unread message cancels the pending notification", async () => {
    const clinic = await world.seedClinic();
    const conversationId = await patientConversation(world, clinic);
    const patient = clinic.patients.pat!;
    const message = await say(world, patient.actor, conversationId, "sent by mistake");
    await world.chat.deleteMessage(patient.actor, { messageId: message.id });

    await fireTimers();
    expect(world.smtp.to(clinic.staff.ada!.email)).toHaveLength(0);
    expect(world.smtp.to(clinic.staff.sam!.email)).toHaveLength(0);
    // The timers still ran and found nothing to send.
    expect((await world.jobs(clinic.clinicId)).map((job) => job.state)).toEqual(["completed", "completed"]);
  });
});

describe("channels (NOTIF-3)", () => {
  it("NOTIF-3: SMS only with the clinic's SMS switch on, a mobile number and consent; email always for patients", async () => {
    const clinic = await world.seedClinic({
      smsNotifications: true,
      patients: [
        { key: "consenting", mobile: "+15550100001", smsConsent: true },
        { key: "noConsent", mobile: "+15550100002", smsConsent: false },
        { key: "noMobile", smsConsent: true },
      ],
    });
    const smsOff = await world.seedClinic({
      smsNotifications: false,
      patients: [{ key: "consenting", mobile: "+15550100003", smsConsent: true }],
    });
    for (const [c, key] of [
      [clinic, "consenting"],
      [clinic, "noConsent"],
      [clinic, "noMobile"],
      [smsOff, "consenting"],
    ] as const) {
      const conversationId = await patientConversation(world, c, key, ["ada"]);
      await say(world, c.staff.ada!.actor, conversationId, "Your results are ready");
    }

    await fireTimers();
    for (const p of Object.values(clinic.patients)) expect(world.smtp.to(p.email)).toHaveLength(1);
    expect(world.smtp.to(smsOff.patients.consenting!.email)).toHaveLength(1);
    const texts = world.sms.received.filter((sms) =>
      ["+15550100001", "+15550100002", "+15550100003"].includes(sms.to),
    );
    expect(texts.map((sms) => sms.to)).toEqual(["+15550100001"]);
    expect(texts[0]?.from).toBe("+15550009999");
  });

  it("NOTIF-3: staff who turned chat emails off get none; staff who did not get one", async () => {
    const clinic = await world.seedClinic({
      staff: [{ key: "ada" }, { key: "sam", emailNotifications: false }],
    });
    const conversationId = await patientConversation(world, clinic);
    await say(world, clinic.patients.pat!.actor, conversationId, "Hello");

    await fireTimers();
    expect(world.smtp.to(clinic.staff.ada!.email)).toHaveLength(1);
    expect(world.smtp.to(clinic.staff.sam!.email)).toHaveLength(0);
  });
});

describe("content (NOTIF-4)", () => {
  it("NOTIF-4: no message text, file name or patient name in any email (raw or parsed), SMS or job", async () => {
    const clinic = await world.seedClinic({
      name: "Maple Street Clinic",
      smsNotifications: true,
      patients: [
        { key: "pat", name: "MARKER-PATIENT Zelda Quartermaine", mobile: "+15550100009", smsConsent: true },
      ],
    });
    const patient = clinic.patients.pat!;
    const ada = clinic.staff.ada!;
    const conversationId = await patientConversation(world, clinic);
    await say(world, patient.actor, conversationId, "MARKER-MSG-TEXT my biopsy came back abnormal");
    await say(world, ada.actor, conversationId, "MARKER-MSG-REPLY about your biopsy, Zelda");
    // A file each way, named with PHI, confirmed as a real upload would be.
    for (const sender of [patient.actor, ada.actor]) {
      const { fileId } = await world.chat.requestFileUpload(sender, {
        conversationId,
        clientId: randomUUID(),
        fileName: "MARKER-FILE-biopsy-report Zelda Quartermaine.pdf",
        sizeBytes: 1234,
        contentType: "application/pdf",
      });
      const file = await world.deps.uow.run(clinic.clinicId, (s) => s.files.get(fileId));
      world.blobs.objects.set(file!.storageKey, { sizeBytes: 1234, detectedType: "application/pdf" });
      await world.chat.confirmFileUpload(sender, { fileId });
    }

    const jobs = await world.jobs(clinic.clinicId);
    await fireTimers();

    const emails = [
      ...world.smtp.to(patient.email),
      ...world.smtp.to(ada.email),
      ...world.smtp.to(clinic.staff.sam!.email),
    ];
    expect(emails).toHaveLength(3);
    const texts = world.sms.to(patient.mobile!);
    expect(texts).toHaveLength(1);
    const seen = [
      ...emails.flatMap((email) => [
        email.raw,
        email.parsed.subject ?? "",
        email.parsed.text ?? "",
        email.parsed.html || "",
        ...[...email.parsed.headers.entries()].map(([key, value]) => `${key}: ${JSON.stringify(value)}`),
      ]),
      ...texts.flatMap((sms) => [sms.body, sms.raw]),
      ...jobs.map((job) => JSON.stringify(job)),
      ...(await world.jobs(clinic.clinicId)).map((job) => JSON.stringify(job)),
    ];
    for (const part of seen) {
      expect(part).not.toContain("MARKER");
      expect(part).not.toContain("Zelda");
      expect(part).not.toContain("biopsy");
      expect(part).not.toContain("Quartermaine");
    }
    // What it does say: who it is from (the clinic; for staff, "a patient") and the conversation's page.
    const toPatient = world.smtp.to(patient.email)[0]!;
    expect(toPatient.parsed.subject).toBe("New secure message from Maple Street Clinic");
    expect(toPatient.parsed.text).toContain(`https://clinic-chat.test/portal/chat/${conversationId}`);
    const toAda = world.smtp.to(ada.email)[0]!;
    expect(toAda.parsed.subject).toBe("New secure message from a patient at Maple Street Clinic");
    expect(toAda.parsed.text).toContain(`https://clinic-chat.test/staff/chat/${conversationId}`);
    // NOTIF-4: a text message is the sentence and the link on one line.
    expect(texts[0]!.body).toBe(
      `You have a new secure message from Maple Street Clinic. Sign in to read it. https://clinic-chat.test/portal/chat/${conversationId}`,
    );
  });
});

describe("outbox by transaction", () => {
  /** A unit of work whose audit log refuses successful sends while `failing` is on. */
  function withFailingAudit(inner: UnitOfWork, failing: () => boolean): UnitOfWork {
    return {
      run: (clinicId, work) =>
        inner.run(clinicId, (stores) => {
          const fails = (event: AuditEvent) => event.action === "message.send" && event.outcome === "success";
          const audit: Stores["audit"] = {
            ...stores.audit,
            append: async (event: AuditEvent) => {
              if (failing() && fails(event)) throw new Error("audit log unavailable");
              return stores.audit.append(event);
            },
            appendAll: async (events: readonly AuditEvent[]) => {
              if (failing() && events.some(fails)) throw new Error("audit log unavailable");
              return stores.audit.appendAll(events);
            },
          };
          return work({ ...stores, audit });
        }),
    };
  }

  async function committedMessages(clinicId: string) {
    const result = await sql<{ id: string; conversation_id: string; client_id: string }>`
      select id, conversation_id, client_id from messages where clinic_id = ${clinicId}`.execute(
      world.db.inspect,
    );
    return result.rows;
  }

  it("a send whose audit record fails leaves no message, no audit success and no job", async () => {
    const clinic = await world.seedClinic();
    const conversationId = await patientConversation(world, clinic);
    const chat = createClinicChat({ ...world.deps, uow: withFailingAudit(world.deps.uow, () => true) });
    const patient = clinic.patients.pat!;

    await expect(
      chat.sendMessage(patient.actor, {
        conversationId,
        clientId: randomUUID(),
        text: "lost with its audit",
      }),
    ).rejects.toThrow();

    expect(await committedMessages(clinic.clinicId)).toEqual([]);
    expect(await world.jobs(clinic.clinicId)).toEqual([]);
    const audit = await sql<{ outcome: string }>`
      select outcome from audit_log where clinic_id = ${clinic.clinicId} and action = 'message.send'`.execute(
      world.db.inspect,
    );
    expect(audit.rows.map((row) => row.outcome)).toEqual(["failure"]);
    const states = await sql<{ status: string }>`
      select status from notification_states where clinic_id = ${clinic.clinicId}`.execute(world.db.inspect);
    expect(states.rows.every((row) => row.status === "idle")).toBe(true);
  });

  it("every committed message from a patient is covered by a job of a pending burst, and no job lacks its burst", async () => {
    const clinic = await world.seedClinic({ patients: [{ key: "p1" }, { key: "p2" }, { key: "p3" }] });
    const conversations = await Promise.all(
      ["p1", "p2", "p3"].map(async (key) => ({ key, id: await patientConversation(world, clinic, key) })),
    );
    let sends = 0;
    // Every third send fails at its audit record, at random points among concurrent sends.
    const chat = createClinicChat({
      ...world.deps,
      uow: withFailingAudit(world.deps.uow, () => sends++ % 3 === 2),
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => {
        const conversation = conversations[i % 3]!;
        return chat.sendMessage(clinic.patients[conversation.key]!.actor, {
          conversationId: conversation.id,
          clientId: randomUUID(),
          text: `message ${i}`,
        });
      }),
    );
    const sent = outcomes.filter((o) => o.status === "fulfilled").map((o) => o.value);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(30);

    const messages = await committedMessages(clinic.clinicId);
    expect(messages.map((m) => m.id).sort()).toEqual(sent.map((m) => m.id).sort());
    const states = await sql<{
      person_kind: string;
      person_id: string;
      burst_id: string | null;
      pending: string[];
    }>`
      select s.person_kind, s.person_id, s.burst_id,
             coalesce((select array_agg(b.message_id) from notification_burst_messages b
                        where b.clinic_id = s.clinic_id and b.person_kind = s.person_kind
                          and b.person_id = s.person_id and b.burst_id = s.burst_id), '{}') as pending
        from notification_states s
       where s.clinic_id = ${clinic.clinicId} and s.status = 'pending'`.execute(world.db.inspect);
    const jobKeys = new Set((await world.jobs(clinic.clinicId)).map((job) => job.singleton_key));
    // Both staff hear about every committed message, each through a burst whose job exists.
    for (const person of [clinic.staff.ada!, clinic.staff.sam!]) {
      const state = states.rows.find((row) => row.person_id === person.actor.person.id);
      expect(state?.burst_id).toBeTruthy();
      expect([...state!.pending].sort()).toEqual(messages.map((m) => m.id).sort());
      expect(
        jobKeys.has(
          timerJobKey({
            clinicId: clinic.clinicId,
            recipient: person.actor.person,
            burstId: state!.burst_id!,
          }),
        ),
      ).toBe(true);
    }
    // And nothing else: one job per pending burst.
    expect(jobKeys.size).toBe(states.rows.length);
    expect(states.rows.map((row) => personKey({ kind: "staff", id: row.person_id })).sort()).toEqual(
      [clinic.staff.ada!, clinic.staff.sam!].map((s) => personKey(s.actor.person)).sort(),
    );
  });
});
