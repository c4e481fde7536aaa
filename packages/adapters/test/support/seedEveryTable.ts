import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { appointments } from "../../src/postgres/appointments";
import { createPostgresAuthStore } from "../../src/postgres/auth/createPostgresAuthStore";
import type { Database } from "../../src/postgres/Database";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { postgresScheduledMessageStore, postgresTemplateStore } from "../../src/postgres/templateStore";
import { at, newId, patientConversation, postText, ref, type World } from "../contract/fixtures";

/** A syntactically argon2id hash, for seeding only: no password matches it. */
export const seedPasswordHash =
  "$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNhbHRzZWVkc2FsdA$c2VlZGhhc2hzZWVkaGFzaHNlZWRoYXNoc2VlZGhhc2g";

/** Puts at least one row into every tenant table for `world.clinic` and `world.otherClinic`. */
export async function seedEveryTable(db: Kysely<Database>, world: World): Promise<void> {
  for (const [run, clinicId, staff, patient] of [
    [world.run, world.clinic.id, world.practitioner, world.patient],
    [world.runOther, world.otherClinic.id, world.foreignStaff, world.foreignPatient],
  ] as const) {
    const conversation = { ...patientConversation(world, patient), clinicId };
    await run(async (s) => {
      await s.conversations.create(conversation, [ref(patient), ref(staff)]);
      const message = await postText(s, conversation.id, ref(patient), "Seed message", at(1));
      await s.search.add([
        { messageId: message.id, conversationId: conversation.id, sentAt: message.sentAt, terms: ["seed"] },
      ]);
      const burstId = newId("burst");
      await s.files.create({
        id: newId("file"),
        clinicId,
        conversationId: conversation.id,
        uploader: ref(staff),
        clientId: newId("client"),
        name: "seed.pdf",
        sizeBytes: 1,
        contentType: "application/pdf",
        storageKey: newId("key"),
        state: "pending",
        createdAt: at(1),
      });
      await s.files.recordRefusal({
        fileId: newId("file"),
        conversationId: conversation.id,
        uploader: ref(staff),
        reason: "FILE_INFECTED",
        refusedAt: at(1),
      });
      // REC-7: a staff member of the clinic stands in for its admin: the table keeps any staff id.
      await s.emergencyAccess.grant({
        id: newId("grant"),
        clinicId,
        conversationId: conversation.id,
        adminId: staff.id,
        reason: "Seed emergency",
        grantedAt: at(1),
        expiresAt: at(61),
      });
      const broadcastId = newId("broadcast");
      await s.broadcasts.createFile({
        id: newId("file"),
        clinicId,
        uploaderId: staff.id,
        name: "notice.pdf",
        sizeBytes: 1,
        contentType: "application/pdf",
        storageKey: newId("key"),
        state: "pending",
        createdAt: at(1),
      });
      await s.broadcasts.create(
        {
          id: broadcastId,
          clinicId,
          authorId: staff.id,
          clientId: newId("client"),
          content: { kind: "text", text: "Seed broadcast" },
          audience: { kind: "activePortal" },
          state: "done",
          sendAt: at(1),
          createdAt: at(1),
        },
        [
          {
            broadcastId,
            patientId: patient.id,
            status: "sent",
            reason: null,
            attempts: 1,
            conversationId: conversation.id,
            messageId: message.id,
          },
        ],
      );
      await s.events.append([
        {
          clinicId,
          conversationId: conversation.id,
          type: "message.posted",
          messageId: message.id,
          person: ref(patient),
          seq: null,
          at: at(1),
        },
      ]);
      await s.audit.append({
        clinicId,
        actor: ref(patient),
        action: "message.send",
        at: at(1),
        ip: null,
        outcome: "success",
      });
      await s.integration.addCredential({
        id: newId("credential"),
        clinicId,
        name: "Seed system",
        secretDigest: randomBytes(32).toString("hex"),
        createdAt: at(0),
        createdBy: staff.id,
        lastUsedAt: null,
        revokedAt: null,
      });
      await s.inbox.addTimeline([
        {
          id: newId("timeline"),
          conversationId: conversation.id,
          kind: "claimed",
          actor: ref(staff),
          subjectStaffId: staff.id,
          afterSeq: message.seq,
          at: at(1),
          nextOpeningAt: null,
        },
      ]);
      // INTEG-4: an endpoint and one event waiting for it.
      const endpointId = newId("webhook");
      await s.webhooks.addEndpoint(
        { id: endpointId, clinicId, url: "https://host.example/hooks", enabled: true, createdAt: at(1) },
        "secret",
      );
      await s.webhooks.record([{ type: "conversation.started", conversationId: conversation.id, at: at(1) }]);
      // REC-3, REC-4: a hold on the patient, a retention period set by the staff member, a run under way.
      await s.records.placeHold({
        clinicId,
        patientId: patient.id,
        reason: "Seed",
        placedBy: staff.id,
        placedAt: at(1),
      });
      await s.records.saveRetention({ period: { amount: 7, unit: "years" }, setBy: staff.id, setAt: at(1) });
      await s.records.saveRetentionRun({
        startedAt: at(2),
        cutoff: at(1),
        deletedMessages: 0,
        deletedFiles: 0,
      });
      await s.notifications.state(ref(staff));
      await s.notifications.saveState(ref(staff), {
        status: "pending",
        burstId,
        dueAt: at(3),
      });
      await s.notifications.joinBurst(ref(staff), burstId, {
        messageId: message.id,
        conversationId: conversation.id,
        seq: message.seq,
      });
      await s.notifications.addDeliveries([
        {
          id: newId("delivery"),
          clinicId,
          burstId,
          recipient: ref(staff),
          channel: "email",
          to: "staff@example.test",
          payload: { subject: "s", text: "t", clinicName: "c", link: "l" },
          createdAt: at(2),
          deliveredAt: null,
        },
      ]);
    });
    await withClinic(db, clinicId, (trx) =>
      appointments.save(trx, {
        id: newId("appt"),
        clinicId,
        patientId: patient.id,
        practitionerId: staff.id,
        startsAt: at(60),
        endsAt: at(90),
        status: "scheduled",
      }),
    );
    await withClinic(db, clinicId, async (trx) => {
      await postgresTemplateStore(trx, clinicId).save({
        id: newId("template"),
        clinicId,
        scope: "personal",
        ownerId: staff.id,
        name: "Seed template",
        text: "Hi {patient first name}",
        updatedAt: at(0),
      });
      await postgresScheduledMessageStore(trx, clinicId).save({
        id: newId("scheduled"),
        clinicId,
        conversationId: conversation.id,
        authorId: staff.id,
        clientId: newId("client"),
        text: "Seed scheduled",
        sendAt: at(60),
        status: "pending",
        messageId: null,
        refusal: null,
        authorEmailed: false,
        createdAt: at(0),
      });
    });
    await createPostgresAuthStore(db).run(clinicId, async (s) => {
      await s.credentials.setPassword(ref(staff), staff.email.toLowerCase(), seedPasswordHash, at(0));
      await s.sessions.create({
        tokenHash: randomBytes(32),
        person: ref(staff),
        createdAt: at(0),
        expiresAt: at(720),
      });
      await s.invitations.create({
        tokenHash: randomBytes(32),
        patientId: patient.id,
        createdAt: at(0),
        expiresAt: at(7 * 24 * 60),
      });
      await s.passwordResets.create({
        tokenHash: randomBytes(32),
        person: ref(staff),
        createdAt: at(0),
        expiresAt: at(30),
      });
      await s.team.invite({
        id: randomUUID(),
        tokenHash: randomBytes(32),
        email: `invited@${clinicId.slice(0, 8)}.test`,
        role: "practitioner",
        createdAt: at(0),
        expiresAt: at(7 * 24 * 60),
      });
    });
  }
}
