import { randomUUID } from "node:crypto";
import { createClinicChat, type Message, type NotificationDeps } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/postgres/Database";
import {
  at,
  patientConversation,
  patientOf,
  postText,
  ref,
  seedWorld,
  type World,
} from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";
import { seedPasswordHash } from "../support/seedEveryTable";

const pg = usePostgresUnitOfWork();

/** Tables holding a row naming the patient, by the columns that name people or patients. */
async function rowsNaming(inspect: Kysely<Database>, clinicId: string, patientId: string) {
  const count = async (table: string, where: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
        where clinic_id = ${clinicId} and ${sql.raw(where)} = ${patientId}`.execute(inspect)
    ).rows[0]!.n;
  return {
    credentials: await count("auth_credentials", "person_id"),
    sessions: await count("auth_sessions", "person_id"),
    invitations: await count("portal_invitations", "patient_id"),
    appointments: await count("appointments", "patient_id"),
    nameWords: await count("name_words", "person_id"),
  };
}

describe("REC-2 erasing a whole patient on PostgreSQL", () => {
  let world: World;
  const nameMarker = `Namemarker${randomUUID().slice(0, 8)}`;
  const emailMarker = `email-marker-${randomUUID()}@example.test`;
  const textMarker = `TEXT-MARKER-${randomUUID()}`;
  const patient = () =>
    patientOf(world.clinic.id, `Erin ${nameMarker}`, {
      id: "erased-patient",
      email: emailMarker,
      mobilePhone: "+15550109999",
      portalAccount: "active",
      dateOfBirth: "1971-02-03",
      hostId: `HOST-${nameMarker}`,
    });
  let message: Message;

  beforeAll(async () => {
    world = await seedWorld(pg.factory);
    const { inspect } = pg.database();
    const erin = patient();
    const conversation = { ...patientConversation(world), patientId: erin.id, key: `patient:${erin.id}` };
    await world.run(async (s) => {
      await s.directory.savePatient(erin);
      await s.conversations.create(conversation, [ref(erin), ref(world.practitioner)]);
      message = await postText(s, conversation.id, ref(erin), `My results ${textMarker}`, at(1));
    });
    const person = { clinic_id: world.clinic.id, person_kind: "patient" as const, person_id: erin.id };
    await inspect
      .insertInto("auth_credentials")
      .values({
        ...person,
        login_email: emailMarker,
        password_hash: seedPasswordHash,
        password_set_at: at(0),
      })
      .execute();
    await inspect
      .insertInto("auth_sessions")
      .values({
        ...person,
        token_hash: Buffer.alloc(32, 7),
        created_at: at(0),
        last_seen_at: at(0),
        expires_at: at(600),
      })
      .execute();
    await inspect
      .insertInto("portal_invitations")
      .values({
        clinic_id: world.clinic.id,
        patient_id: erin.id,
        token_hash: Buffer.alloc(32, 8),
        created_at: at(0),
        expires_at: at(600),
      })
      .execute();
  });

  it("REC-2: the tombstone row names nobody; sign-in, appointments and name words go; the message's key is destroyed", async () => {
    const { inspect } = pg.database();
    const before = await rowsNaming(inspect, world.clinic.id, "erased-patient");
    expect(before).toMatchObject({ credentials: 1, sessions: 1, invitations: 1 });
    expect(before.nameWords).toBeGreaterThan(0);
    const refusedBlobs = async () => {
      throw new Error("no stored object is touched here");
    };
    const deps: NotificationDeps = {
      uow: await pg.factory(),
      clock: { now: () => at(10) },
      ids: { newId: () => randomUUID() },
      links: { staffApp: "https://clinic.test/staff", patientPortal: "https://clinic.test/portal" },
      blobs: {
        presignUpload: refusedBlobs,
        presignDownload: refusedBlobs,
        inspect: refusedBlobs,
        read: refusedBlobs,
        write: refusedBlobs,
        remove: refusedBlobs,
      },
      email: { send: async () => undefined },
      sms: { send: async () => undefined },
    };
    const chat = createClinicChat(deps);
    const admin = { clinicId: world.clinic.id, person: ref(world.admin) };
    const erased = await chat.erasePatient(admin, {
      patientId: "erased-patient",
      confirmName: `erin ${nameMarker}`,
      reason: "The patient asked to be forgotten",
    });
    expect(erased).toEqual({ conversations: 1, messages: 1, files: 0 });

    expect(await rowsNaming(inspect, world.clinic.id, "erased-patient")).toEqual({
      credentials: 0,
      sessions: 0,
      invitations: 0,
      appointments: 0,
      nameWords: 0,
    });
    const row = await inspect
      .selectFrom("patients")
      .selectAll()
      .where("clinic_id", "=", world.clinic.id)
      .where("id", "=", "erased-patient")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: "",
      email: null,
      mobile_phone: null,
      date_of_birth: null,
      host_id: null,
      portal_account: "none",
      erased_by: world.admin.id,
      erasure_reason: "The patient asked to be forgotten",
    });
    const keys = await inspect
      .selectFrom("message_keys")
      .select("message_id")
      .where("message_id", "=", message.id)
      .execute();
    expect(keys).toEqual([]);
    const stored = await inspect
      .selectFrom("messages")
      .selectAll()
      .where("id", "=", message.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ body_kind: "deleted", text: null });
    const everything = JSON.stringify(
      await sql`select to_jsonb(p) as p from patients p where clinic_id = ${world.clinic.id}`.execute(
        inspect,
      ),
    );
    for (const marker of [nameMarker, emailMarker, textMarker]) expect(everything).not.toContain(marker);
    // The tombstone is in no list: the directory's patient list and name search leave it out.
    const listed = await world.run((s) => s.directory.listPatients({ limit: 100 }));
    expect(listed.items.map((p) => p.id)).not.toContain("erased-patient");
    expect(
      (await world.run((s) => s.directory.searchPatients("Erin", 10))).map((m) => m.person.id),
    ).not.toContain("erased-patient");
    const read = await world.run((s) => s.directory.patient("erased-patient"));
    expect(read?.erasure).toEqual({
      at: at(10),
      by: world.admin.id,
      reason: "The patient asked to be forgotten",
    });
  });

  it("REC-2: the database refuses a half tombstone: an erasure keeps no name or contact details", async () => {
    const { inspect } = pg.database();
    await expect(
      sql`update patients set erased_at = now(), erased_by = ${world.admin.id}, erasure_reason = 'x'
          where clinic_id = ${world.clinic.id} and id = ${world.otherPatient.id}`.execute(inspect),
    ).rejects.toThrow(/patients_erasure_whole/);
  });
});
