import { randomUUID } from "node:crypto";
import {
  createClinicChat,
  defaultSettings,
  type NotificationDeps,
  type UnitOfWork,
} from "@clinic-chat/domain";
import type { BlobStore } from "@clinic-chat/domain/files";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

const noStorage: BlobStore = {
  presignUpload: async () => {
    throw new Error("no uploads here");
  },
  presignDownload: async () => {
    throw new Error("no downloads here");
  },
  inspect: async () => null,
  read: async () => null,
  write: async () => undefined,
  remove: async () => undefined,
};

describe("SRCH-1 message search on PostgreSQL", () => {
  let world: World;
  let chat: ReturnType<typeof createClinicChat>;
  let conversationId: string;
  let now = new Date("2031-03-01T10:00:00Z");
  /** When set, the next unit of work fails after its work is done: it rolls back whole. */
  let failAfterWork = false;
  const staff = () => ({
    clinicId: world.clinic.id,
    person: { kind: "staff" as const, id: world.practitioner.id },
  });
  const patient = () => ({
    clinicId: world.clinic.id,
    person: { kind: "patient" as const, id: world.patient.id },
  });
  const found = async (query: string, who = staff()) =>
    (await chat.searchMessages(who, { query, limit: 10 })).hits.map((h) => h.snippet);
  const indexRows = async (messageId: string) =>
    (
      await sql<{
        terms: string[];
      }>`select terms from message_search where message_id = ${messageId}`.execute(pg.database().inspect)
    ).rows;
  const send = async (text: string) =>
    (await chat.sendMessage(patient(), { conversationId, clientId: randomUUID(), text })).id;

  beforeAll(async () => {
    world = await seedWorld(pg.factory);
    await world.run(async (s) => {
      await s.clinics.saveSettings(world.clinic.id, {
        ...defaultSettings("premium"),
        patientChatEnabled: true,
      });
      await s.directory.savePatient({ ...world.patient, portalAccount: "active" });
    });
    const uow: UnitOfWork = {
      run: (clinicId, work) =>
        world.uow.run(clinicId, async (stores) => {
          const value = await work(stores);
          if (failAfterWork) {
            failAfterWork = false;
            throw new Error("the unit of work fails after its work");
          }
          return value;
        }),
    };
    const deps: NotificationDeps = {
      uow,
      blobs: noStorage,
      clock: { now: () => now },
      ids: { newId: () => randomUUID() },
      links: { staffApp: "https://clinic.test/staff", patientPortal: "https://clinic.test/portal" },
      email: { send: async () => undefined },
      sms: { send: async () => undefined },
    };
    chat = createClinicChat(deps);
    conversationId = (await chat.startPatientChat(staff(), { patientId: world.patient.id })).conversation.id;
  });

  it("SRCH-1: a sent text is indexed in the send's unit of work as keyed digests only, and found by a word's beginning", async () => {
    const marker = `zqmarker${randomUUID().slice(0, 8)}`;
    const messageId = await send(`About my Appointment ${marker}`);
    const [row] = await indexRows(messageId);
    expect(row!.terms.length).toBeGreaterThan(10);
    expect(row!.terms.every((t) => /^-?\d+$/.test(String(t)))).toBe(true);
    const stored = await sql<{ row: string }>`select m::text as row from message_search m`.execute(
      pg.database().inspect,
    );
    for (const { row: text } of stored.rows) {
      expect(text).not.toMatch(/appoint|zqmarker/i);
    }
    expect(await found("appoin")).toEqual([`About my Appointment ${marker}`]);
    expect(await found(marker.slice(0, 6).toUpperCase())).toEqual([`About my Appointment ${marker}`]);

    failAfterWork = true;
    const before = await sql<{ n: number }>`select count(*)::int as n from message_search`.execute(
      pg.database().inspect,
    );
    await expect(send("a rolled back appointment")).rejects.toThrow();
    const after = await sql<{ n: number }>`select count(*)::int as n from message_search`.execute(
      pg.database().inspect,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it("SRCH-1: new terms wait in the index's small pending list and are found there, and again once merged into its tree", async () => {
    const inspect = pg.database().inspect;
    const options = await sql<{ options: string[] }>`
      select reloptions as options from pg_class where relname = 'message_search_terms'`.execute(inspect);
    expect(options.rows[0]!.options).toEqual(["fastupdate=on", "gin_pending_list_limit=64"]);
    await send("quokka spotted near the clinic");
    expect(await found("quokk")).toEqual(["quokka spotted near the clinic"]);
    // The owner merges the pending list as a send that fills it would: it held the new terms.
    const merged = await sql<{ pages: number }>`
      select gin_clean_pending_list('message_search_terms')::int as pages`.execute(inspect);
    expect(merged.rows[0]!.pages).toBeGreaterThan(0);
    expect(await found("quokk")).toEqual(["quokka spotted near the clinic"]);
    await send("another quokka today");
    expect((await found("quokka")).sort()).toEqual([
      "another quokka today",
      "quokka spotted near the clinic",
    ]);
  });

  it("SRCH-1, ELIG-4, ELIG-5: another clinic's staff and a non-participant find nothing; RLS hides the rows", async () => {
    await send("wombat sighting");
    expect(await found("wombat")).toEqual(["wombat sighting"]);
    expect(
      await found("wombat", { clinicId: world.clinic.id, person: { kind: "staff", id: world.colleague.id } }),
    ).toEqual([]);
    expect(
      await found("wombat", {
        clinicId: world.otherClinic.id,
        person: { kind: "staff", id: world.foreignStaff.id },
      }),
    ).toEqual([]);
    const seen = await withClinic(pg.database().app, world.otherClinic.id, (trx) =>
      sql<{
        n: number;
      }>`select count(*)::int as n from message_search where clinic_id = ${world.clinic.id}`.execute(trx),
    );
    expect(seen.rows[0]!.n).toBe(0);
    await expect(
      withClinic(pg.database().app, world.otherClinic.id, (trx) =>
        sql`insert into message_search (clinic_id, message_id, conversation_id, sent_at, terms)
            values (${world.clinic.id}, 'x', ${conversationId}, now(), '{1}')`.execute(trx),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("SRCH-1, DEL-2: deleting a message removes its index row; it is never found again", async () => {
    const messageId = await send("platypus report");
    expect(await indexRows(messageId)).toHaveLength(1);
    await chat.deleteMessage(patient(), { messageId });
    expect(await indexRows(messageId)).toHaveLength(0);
    expect(await found("platypus")).toEqual([]);
  });

  it("SRCH-1, REC-3: retention removes the index rows of the messages it deletes", async () => {
    const messageId = await send("echidna note");
    expect(await indexRows(messageId)).toHaveLength(1);
    await world.run((s) =>
      s.records.saveRetention({ period: { amount: 1, unit: "years" }, setBy: world.admin.id, setAt: now }),
    );
    now = new Date(now.getTime() + 800 * 24 * 3600 * 1000);
    await chat.runRetention(world.clinic.id);
    expect(await indexRows(messageId)).toHaveLength(0);
    expect(await found("echidna")).toEqual([]);
  });
});
