import { createHash, randomBytes } from "node:crypto";
import type { AuthStore } from "@clinic-chat/domain";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createPostgresAuthStore } from "../../src/postgres/auth/createPostgresAuthStore";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { at, ref, seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";
import { seedPasswordHash } from "../support/seedEveryTable";

const pg = usePostgresUnitOfWork();
const digest = (value: string) => createHash("sha256").update(value).digest();

let world: World;
let auth: AuthStore;
beforeAll(async () => {
  world = await seedWorld(pg.factory);
  auth = createPostgresAuthStore(pg.database().app);
  for (const person of [world.practitioner, world.patient])
    await auth.run(world.clinic.id, (s) =>
      s.credentials.setPassword(
        ref(person),
        `reset-${randomBytes(4).toString("hex")}@clinic.test`,
        seedPasswordHash,
        at(0),
      ),
    );
});

describe("password reset links (ACC-1)", () => {
  it("ACC-1: a link is found by its digest while unused, works once, not after expiry, and a newer one replaces it", async () => {
    const first = digest(`reset-1-${Math.random()}`);
    const second = digest(`reset-2-${Math.random()}`);
    const person = ref(world.practitioner);
    await auth.run(world.clinic.id, (s) =>
      s.passwordResets.create({ tokenHash: first, person, createdAt: at(0), expiresAt: at(30) }),
    );
    expect(await auth.passwordResetByTokenHash(first)).toEqual({
      clinicId: world.clinic.id,
      person,
      expiresAt: at(30),
    });
    await auth.run(world.clinic.id, (s) =>
      s.passwordResets.create({ tokenHash: second, person, createdAt: at(1), expiresAt: at(31) }),
    );
    expect(await auth.passwordResetByTokenHash(first)).toBeNull();
    expect(await auth.run(world.clinic.id, (s) => s.passwordResets.use(second, at(31)))).toBe(false); // expired
    expect(await auth.run(world.otherClinic.id, (s) => s.passwordResets.use(second, at(2)))).toBe(false);
    expect(await auth.run(world.clinic.id, (s) => s.passwordResets.use(second, at(2)))).toBe(true);
    expect(await auth.run(world.clinic.id, (s) => s.passwordResets.use(second, at(3)))).toBe(false);
    expect(await auth.passwordResetByTokenHash(second)).toBeNull();
    expect(await auth.passwordResetByTokenHash(digest("never issued"))).toBeNull();
  });

  it("ACC-1 SEC-4: only a digest is stored; the application role reads no link without its clinic; the look-up returns no more than it needs", async () => {
    const tokenHash = digest(`reset-3-${Math.random()}`);
    await auth.run(world.clinic.id, (s) =>
      s.passwordResets.create({ tokenHash, person: ref(world.patient), createdAt: at(0), expiresAt: at(30) }),
    );
    await expect(
      auth.run(world.clinic.id, (s) =>
        s.passwordResets.create({
          tokenHash: Buffer.from("a plain token, not a digest"),
          person: ref(world.patient),
          createdAt: at(0),
          expiresAt: at(30),
        }),
      ),
    ).rejects.toThrow(/check constraint/);
    const app = pg.database().app;
    const none = await sql<{ n: number }>`select count(*)::int as n from password_resets`.execute(app);
    expect(none.rows[0]?.n).toBe(0);
    const foreign = await withClinic(app, world.otherClinic.id, (trx) =>
      sql<{
        n: number;
      }>`select count(*)::int as n from password_resets where clinic_id = ${world.clinic.id}`.execute(trx),
    );
    expect(foreign.rows[0]?.n).toBe(0);
    const shape = await sql<{ result: string }>`
      select pg_get_function_result('auth_password_reset_by_token_hash(bytea)'::regprocedure) as result`.execute(
      pg.database().owner,
    );
    expect(shape.rows[0]?.result).toBe(
      "TABLE(clinic_id text, person_kind text, person_id text, expires_at timestamp with time zone)",
    );
  });
});

describe("ending a person's other sessions (ACC-2)", () => {
  it("ACC-2: revokeAll with a session to keep ends every other live session of the person and keeps that one", async () => {
    const keep = digest(`keep-${Math.random()}`);
    const others = [digest(`other-1-${Math.random()}`), digest(`other-2-${Math.random()}`)];
    const person = ref(world.practitioner);
    await auth.run(world.clinic.id, async (s) => {
      for (const tokenHash of [keep, ...others])
        await s.sessions.create({ tokenHash, person, createdAt: at(0), expiresAt: at(720) });
    });
    expect(await auth.run(world.clinic.id, (s) => s.sessions.revokeAll(person, at(5), keep))).toBe(2);
    expect(await auth.sessionByTokenHash(keep)).not.toBeNull();
    for (const tokenHash of others) expect(await auth.sessionByTokenHash(tokenHash)).toBeNull();
  });
});
