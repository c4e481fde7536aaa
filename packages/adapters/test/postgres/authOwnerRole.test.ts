import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createPostgresAuthStore } from "../../src/postgres/auth/createPostgresAuthStore";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../../src/postgres/preparePostgres";
import { at, ref, seedWorld } from "../contract/fixtures";
import { withDatabase } from "../support/postgres";
import { seedPasswordHash } from "../support/seedEveryTable";

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe("sign-in under a managed database's owner", () => {
  it("SEC-4 SEC-2: when the owner is not a superuser (forced RLS applies to it), the pre-clinic look-ups and the session check still find and end what sign-in needs, and nothing more is visible", async () => {
    const provided = inject("postgres");
    const suffix = randomBytes(4).toString("hex");
    const owner = { name: `owner_${suffix}`, password: `owner-${suffix}` };
    const app = { name: `app_${suffix}`, password: `app-${suffix}` };
    const database = `managed_${suffix}`;
    const server = postgres(provided.ownerUrl, { max: 1, onnotice: () => undefined });
    try {
      await server.unsafe(
        `CREATE ROLE ${owner.name} LOGIN PASSWORD '${owner.password}' NOSUPERUSER CREATEROLE`,
      );
      // A server's owner that is not a superuser (OPS-3) may only give a database to a role it is in.
      await server.unsafe(`GRANT ${owner.name} TO CURRENT_USER`);
      await server.unsafe(`CREATE DATABASE ${database} OWNER ${owner.name}`);
    } finally {
      await server.end();
    }
    const ownerUrl = withDatabase(provided.ownerUrl, database, owner);
    await preparePostgres({ ownerUrl, appRole: app.name, appPassword: app.password });
    const db = connectPostgres(withDatabase(provided.ownerUrl, database, app), { max: 2 });
    const ownerDb = connectPostgres(ownerUrl, { max: 1 });
    closers.push(
      () => db.destroy(),
      () => ownerDb.destroy(),
    );

    const world = await seedWorld(() =>
      createPostgresUnitOfWork(db, { notificationQueue: () => ({ schedule: async () => undefined }) }),
    );
    const auth = createPostgresAuthStore(db);
    const token = createHash("sha256").update("token").digest();
    const invitation = createHash("sha256").update("invitation").digest();
    await auth.run(world.clinic.id, async (s) => {
      await s.credentials.setPassword(ref(world.admin), "admin@managed.test", seedPasswordHash, at(0));
      await s.sessions.create({
        tokenHash: token,
        person: ref(world.admin),
        createdAt: at(0),
        expiresAt: at(720),
      });
      await s.invitations.create({
        tokenHash: invitation,
        patientId: world.patient.id,
        createdAt: at(0),
        expiresAt: at(60),
      });
    });

    const me = await sql<{
      super: boolean;
    }>`select rolsuper as super from pg_roles where rolname = current_user`.execute(ownerDb);
    expect(me.rows).toEqual([{ super: false }]);
    expect(await auth.signInCandidates("staff", "admin@managed.test")).toEqual([
      { clinicId: world.clinic.id, person: ref(world.admin), passwordHash: seedPasswordHash },
    ]);
    expect(await auth.sessionByTokenHash(token)).toMatchObject({ clinicId: world.clinic.id });
    expect(await auth.invitationByTokenHash(invitation)).toMatchObject({ patientId: world.patient.id });
    // The one-statement session check reads the clinic and the person and writes the
    // session under the owner's forced RLS: it binds itself to the session's clinic to do so.
    const options = { touch: true, maxTouchIntervalMs: 60_000 };
    expect(await auth.resolveSession(token, at(5), options)).toEqual({
      clinicId: world.clinic.id,
      person: ref(world.admin),
      staffRole: "admin",
    });
    const session = () =>
      sql<{ last_seen_at: Date; revoked_at: Date | null }>`select last_seen_at, revoked_at
        from auth_sessions where token_hash = ${token}`.execute(ownerDb);
    expect((await session()).rows).toEqual([{ last_seen_at: at(5), revoked_at: null }]);
    expect(await auth.resolveSession(token, at(5 + 15), options)).toBeNull();
    expect((await session()).rows).toEqual([{ last_seen_at: at(5), revoked_at: at(20) }]);
    // The owner's read-only policy covers only the sign-in tables; the rest stays behind RLS for it too.
    const patients = await sql<{ n: number }>`select count(*)::int as n from patients`.execute(ownerDb);
    expect(patients.rows[0]?.n).toBe(0);
  });
});
