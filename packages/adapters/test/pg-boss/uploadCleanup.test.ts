import { randomUUID } from "node:crypto";
import { fileRules } from "@clinic-chat/domain/files";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staleUploadClinics, startNotificationWorker, uploadCleanupQueueName } from "../../src/pg-boss/index";
import {
  type NotificationWorld,
  patientConversation,
  type SeededClinic,
  startNotificationWorld,
  waitUntil,
} from "../notifications/support/world";

let world: NotificationWorld;

beforeAll(async () => {
  world = await startNotificationWorld();
});

afterAll(async () => {
  await world?.close();
});

/** A file upload the patient asked for and never confirmed; returns its storage key. */
async function unconfirmedUpload(clinic: SeededClinic, conversationId: string): Promise<string> {
  const patient = clinic.patients.pat!;
  const { fileId } = await world.chat.requestFileUpload(patient.actor, {
    conversationId,
    clientId: randomUUID(),
    fileName: "scan.pdf",
    sizeBytes: 100,
    contentType: "application/pdf",
  });
  const file = await world.deps.uow.run(clinic.clinicId, (s) => s.files.get(fileId));
  return file!.storageKey;
}

async function pendingFiles() {
  const result = await sql<{ clinic_id: string; storage_key: string }>`
    select clinic_id, storage_key from files where state = 'pending' order by clinic_id`.execute(
    world.db.inspect,
  );
  return result.rows;
}

describe("upload cleanup (FILE-2)", () => {
  it("FILE-2: the periodic cleanup removes the stale unconfirmed uploads of every clinic, calling back once per clinic that has some", async () => {
    const clinics = await Promise.all([world.seedClinic(), world.seedClinic(), world.seedClinic()]);
    const [first, second, fresh] = clinics as [SeededClinic, SeededClinic, SeededClinic];
    const conversations = await Promise.all(
      clinics.map((clinic) => patientConversation(world, clinic, "pat", ["ada"])),
    );
    const staleKeys = [
      await unconfirmedUpload(first, conversations[0]!),
      await unconfirmedUpload(first, conversations[0]!),
      await unconfirmedUpload(second, conversations[1]!),
    ];
    world.clock.advanceSeconds(fileRules.unconfirmedUploadTtlSeconds + 60);
    const freshKey = await unconfirmedUpload(fresh, conversations[2]!);

    expect(
      await staleUploadClinics(
        world.db.owner,
        new Date(world.clock.now().getTime() - fileRules.unconfirmedUploadTtlSeconds * 1000),
      ),
    ).toEqual([first.clinicId, second.clinicId].sort());

    const called: string[] = [];
    const worker = await startNotificationWorker({
      boss: world.boss,
      handle: async () => undefined,
      cleanup: async (clinicId) => {
        called.push(clinicId);
        return world.chat.cleanupUnconfirmedUploads(clinicId);
      },
      ownerUrl: world.db.ownerUrl,
      clock: world.clock,
      pollingIntervalSeconds: 0.5,
    });
    try {
      // Registered to run every ten minutes...
      const [schedule] = await world.boss.getSchedules(uploadCleanupQueueName);
      expect(schedule?.cron).toBe("*/10 * * * *");
      // ...and what the cron sends, sent now rather than waited for.
      await world.boss.send(uploadCleanupQueueName, null);
      await waitUntil("the cleanup has run", () => worker.stats().cleanupRuns === 1 && called.length === 2);
      await waitUntil("the cleanup job has completed", async () => {
        const result = await sql<{ state: string }>`
          select state::text as state from pgboss.job where name = ${uploadCleanupQueueName}`.execute(
          world.db.owner,
        );
        return result.rows.length > 0 && result.rows.every((row) => row.state === "completed");
      });
    } finally {
      await worker.stop();
    }
    expect(called.sort()).toEqual([first.clinicId, second.clinicId].sort());
    expect(worker.stats()).toMatchObject({ cleanupRuns: 1, cleanedClinics: 2, cleanupFailures: 0 });
    expect(await pendingFiles()).toEqual([{ clinic_id: fresh.clinicId, storage_key: freshKey }]);
    expect(world.blobs.removed.sort()).toEqual(staleKeys.sort());
  });

  it("FILE-6: a clinic whose only leftover is an old refusal is listed, and the cleanup forgets it", async () => {
    const clinic = await world.seedClinic();
    const conversationId = await patientConversation(world, clinic, "pat", ["ada"]);
    const fileId = randomUUID();
    const uploader = { kind: "patient" as const, id: clinic.patients.pat!.actor.person.id };
    await world.deps.uow.run(clinic.clinicId, (s) =>
      s.files.recordRefusal({
        fileId,
        conversationId,
        uploader,
        reason: "FILE_INFECTED",
        refusedAt: world.clock.now(),
      }),
    );
    const cutOff = () => new Date(world.clock.now().getTime() - fileRules.unconfirmedUploadTtlSeconds * 1000);
    expect(await staleUploadClinics(world.db.owner, cutOff())).not.toContain(clinic.clinicId);
    world.clock.advanceSeconds(fileRules.unconfirmedUploadTtlSeconds + 1);
    expect(await staleUploadClinics(world.db.owner, cutOff())).toContain(clinic.clinicId);
    await world.chat.cleanupUnconfirmedUploads(clinic.clinicId);
    expect(await world.deps.uow.run(clinic.clinicId, (s) => s.files.refusalOf(fileId, uploader))).toBeNull();
    expect(await staleUploadClinics(world.db.owner, cutOff())).not.toContain(clinic.clinicId);
  });

  it("FILE-2 BCAST-1: a broadcast's upload never confirmed is listed and removed with its object, a confirmed one stays", async () => {
    const clinic = await world.seedClinic();
    const { clinicId } = clinic;
    const file = (state: "pending" | "ready") => ({
      id: randomUUID(),
      clinicId,
      uploaderId: clinic.staff.ada!.actor.person.id,
      name: "closure.pdf",
      sizeBytes: 100,
      contentType: "application/pdf",
      storageKey: `broadcasts/${randomUUID()}`,
      state,
      createdAt: world.clock.now(),
    });
    const unconfirmed = file("pending");
    const confirmed = file("ready");
    await world.deps.uow.run(clinicId, async (s) => {
      await s.broadcasts.createFile(unconfirmed);
      await s.broadcasts.createFile(confirmed);
    });
    const cutOff = () => new Date(world.clock.now().getTime() - fileRules.unconfirmedUploadTtlSeconds * 1000);
    expect(await staleUploadClinics(world.db.owner, cutOff())).not.toContain(clinicId);
    world.clock.advanceSeconds(fileRules.unconfirmedUploadTtlSeconds + 1);
    expect(await staleUploadClinics(world.db.owner, cutOff())).toContain(clinicId);
    expect(await world.chat.cleanupUnconfirmedUploads(clinicId)).toBe(1);
    expect(world.blobs.removed).toContain(unconfirmed.storageKey);
    expect(world.blobs.removed).not.toContain(confirmed.storageKey);
    await world.deps.uow.run(clinicId, async (s) => {
      expect(await s.broadcasts.file(unconfirmed.id)).toBeNull();
      expect(await s.broadcasts.file(confirmed.id)).toEqual(confirmed);
    });
    expect(await staleUploadClinics(world.db.owner, cutOff())).not.toContain(clinicId);
  });

  it("refuses to list stale uploads through a role that row-level security would blind", async () => {
    await expect(staleUploadClinics(world.db.app, new Date())).rejects.toThrow(
      "needs the owner's connection",
    );
  });
});
