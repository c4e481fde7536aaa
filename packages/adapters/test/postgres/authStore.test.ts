import { createHash, randomBytes } from "node:crypto";
import type { AuthStore, Patient, PersonRef, StaffMember } from "@clinic-chat/domain";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createPostgresAuthStore } from "../../src/postgres/auth/createPostgresAuthStore";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { appFunctions } from "../../src/postgres/preparePostgres";
import { at, patientOf, ref, seedWorld, staffOf, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";
import { seedPasswordHash } from "../support/seedEveryTable";

const pg = usePostgresUnitOfWork();

const digest = (value: string) => createHash("sha256").update(value).digest();
const hashOf = (suffix: string) => seedPasswordHash.replace(/.{6}$/, suffix.padStart(6, "x"));

let world: World;
let auth: AuthStore;
beforeAll(async () => {
  world = await seedWorld(pg.factory);
  auth = createPostgresAuthStore(pg.database().app);
});

describe("credentials (SEC-1)", () => {
  it("SEC-1 ELIG-5: the same email may sign in to two clinics; the look-up returns clinic, id and hash only", async () => {
    const email = `shared-${randomBytes(4).toString("hex")}@clinic.test`;
    await auth.run(world.clinic.id, (s) =>
      s.credentials.setPassword(ref(world.admin), email, hashOf("a"), at(0)),
    );
    await auth.run(world.otherClinic.id, (s) =>
      s.credentials.setPassword(ref(world.foreignStaff), email, hashOf("b"), at(0)),
    );
    // The same address as a patient is another account, not found when signing in as staff.
    await auth.run(world.clinic.id, (s) =>
      s.credentials.setPassword(ref(world.patient), email, hashOf("c"), at(0)),
    );

    const staff = await auth.signInCandidates("staff", email);
    expect(staff.sort((x, y) => x.clinicId.localeCompare(y.clinicId))).toEqual(
      [
        { clinicId: world.clinic.id, person: ref(world.admin), passwordHash: hashOf("a") },
        { clinicId: world.otherClinic.id, person: ref(world.foreignStaff), passwordHash: hashOf("b") },
      ].sort((x, y) => x.clinicId.localeCompare(y.clinicId)),
    );
    expect(await auth.signInCandidates("patient", email)).toEqual([
      { clinicId: world.clinic.id, person: ref(world.patient), passwordHash: hashOf("c") },
    ]);
    expect(await auth.signInCandidates("staff", "nobody@clinic.test")).toEqual([]);
    // The look-up's result type is fixed: no TOTP secret, no recovery codes, no email.
    const shape = await sql<{ result: string }>`
      select pg_get_function_result('auth_sign_in_candidates(text, text)'::regprocedure) as result`.execute(
      pg.database().owner,
    );
    expect(shape.rows[0]?.result).toBe("TABLE(clinic_id text, person_id text, password_hash text)");
  });

  it("SEC-1: one sign-in per email, clinic and kind; the email is stored normalised and the hash is argon2id", async () => {
    const email = `taken-${randomBytes(4).toString("hex")}@clinic.test`;
    await auth.run(world.clinic.id, (s) =>
      s.credentials.setPassword(ref(world.colleague), email, hashOf("d"), at(0)),
    );
    expect(
      await auth.run(world.clinic.id, (s) => s.credentials.emailTaken(ref(world.practitioner), email)),
    ).toBe(true);
    expect(
      await auth.run(world.clinic.id, (s) => s.credentials.emailTaken(ref(world.colleague), email)),
    ).toBe(false);
    await expect(
      auth.run(world.clinic.id, (s) =>
        s.credentials.setPassword(ref(world.practitioner), email, hashOf("e"), at(0)),
      ),
    ).rejects.toThrow(/unique/);
    await expect(
      auth.run(world.clinic.id, (s) =>
        s.credentials.setPassword(ref(world.practitioner), "Mixed@Clinic.test", hashOf("e"), at(0)),
      ),
    ).rejects.toThrow(/check constraint/);
    await expect(
      auth.run(world.clinic.id, (s) =>
        s.credentials.setPassword(
          ref(world.practitioner),
          "p@clinic.test",
          "$2b$10$bcrypt-is-not-accepted",
          at(0),
        ),
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it("SEC-1: a TOTP time step is accepted once, and only forwards", async () => {
    const person = ref(world.practitioner);
    await auth.run(world.clinic.id, async (s) => {
      await s.credentials.setPassword(
        person,
        `totp-${randomBytes(4).toString("hex")}@clinic.test`,
        hashOf("f"),
        at(0),
      );
      expect(await s.credentials.acceptTotpStep(person, 100)).toBe(false); // not enabled yet
      expect(await s.credentials.enableTotp(person, "JBSWY3DPEHPK3PXP", 100, [])).toBe(false); // nothing pending
      expect(await s.credentials.startTotp(person, "JBSWY3DPEHPK3PXP", at(0), null)).toBe(true);
      expect(await s.credentials.enableTotp(person, "JBSWY3DPEHPK3PXP", 100, ["h1", "h2"])).toBe(true);
      expect(await s.credentials.startTotp(person, "KRSXG5CTMVRXEZLU", at(1), null)).toBe(false); // on: the secret stays
    });
    const stored = await auth.run(world.clinic.id, (s) => s.credentials.get(person));
    expect(stored).toMatchObject({ totpEnabled: true, totpSecret: "JBSWY3DPEHPK3PXP", recoveryCodesLeft: 2 });
    await auth.run(world.clinic.id, async (s) => {
      expect(await s.credentials.acceptTotpStep(person, 100)).toBe(false); // the enrolment code's step
      expect(await s.credentials.acceptTotpStep(person, 101)).toBe(true);
      expect(await s.credentials.acceptTotpStep(person, 101)).toBe(false); // replay
      expect(await s.credentials.acceptTotpStep(person, 99)).toBe(false);
    });
  });

  it("ACC-4: a pending TOTP secret is kept from its start until it runs out, and only the secret a code was checked against turns on", async () => {
    const person = ref(world.colleague);
    const pending = "JBSWY3DPEHPK3PXP";
    const other = "KRSXG5CTMVRXEZLU";
    await auth.run(world.clinic.id, async (s) => {
      await s.credentials.setPassword(
        person,
        `pending-${randomBytes(4).toString("hex")}@clinic.test`,
        hashOf("p"),
        at(0),
      );
      expect(await s.credentials.startTotp(person, pending, at(10), at(0))).toBe(true);
      // Pending since minute 10: a start keeping what is pending since minute 5 changes nothing.
      expect(await s.credentials.startTotp(person, other, at(12), at(5))).toBe(false);
      expect(await s.credentials.get(person)).toMatchObject({ totpSecret: pending, totpStartedAt: at(10) });
      expect(await s.credentials.enableTotp(person, other, 1, [])).toBe(false); // not the pending secret
      // Run out (kept only since minute 11): replaced.
      expect(await s.credentials.startTotp(person, other, at(21), at(11))).toBe(true);
      expect(await s.credentials.enableTotp(person, pending, 1, [])).toBe(false);
      expect(await s.credentials.enableTotp(person, other, 1, [])).toBe(true);
      expect(await s.credentials.get(person)).toMatchObject({
        totpSecret: other,
        totpEnabled: true,
        totpStartedAt: null,
      });
    });
  });

  it("SEC-1: a recovery code works once", async () => {
    const person = ref(world.admin);
    await auth.run(world.clinic.id, async (s) => {
      await s.credentials.startTotp(person, "JBSWY3DPEHPK3PXP", at(0), null);
      await s.credentials.enableTotp(person, "JBSWY3DPEHPK3PXP", 1, ["code-1", "code-2"]);
    });
    expect(await auth.run(world.clinic.id, (s) => s.credentials.useRecoveryCode(person, "code-1"))).toBe(
      true,
    );
    expect(await auth.run(world.clinic.id, (s) => s.credentials.useRecoveryCode(person, "code-1"))).toBe(
      false,
    );
    expect(await auth.run(world.clinic.id, (s) => s.credentials.useRecoveryCode(person, "code-3"))).toBe(
      false,
    );
    expect(await auth.run(world.clinic.id, (s) => s.credentials.get(person))).toMatchObject({
      recoveryCodesLeft: 1,
    });
    // Another clinic cannot use it, even knowing the person's id.
    expect(await auth.run(world.otherClinic.id, (s) => s.credentials.useRecoveryCode(person, "code-2"))).toBe(
      false,
    );
  });
});

describe("sessions (SEC-2)", () => {
  it("SEC-2: a session is found by its token's digest while live; revoked ones are not", async () => {
    const token = randomBytes(32).toString("base64url");
    const person: PersonRef = ref(world.patient);
    await auth.run(world.clinic.id, (s) =>
      s.sessions.create({ tokenHash: digest(token), person, createdAt: at(0), expiresAt: at(720) }),
    );
    expect(await auth.sessionByTokenHash(digest(token))).toEqual({
      clinicId: world.clinic.id,
      person,
      lastSeenAt: at(0),
      expiresAt: at(720),
    });
    await auth.run(world.clinic.id, (s) => s.sessions.touch(digest(token), at(5)));
    await auth.run(world.clinic.id, (s) => s.sessions.touch(digest(token), at(3))); // never backwards
    expect(await auth.sessionByTokenHash(digest(token))).toMatchObject({ lastSeenAt: at(5) });
    expect(await auth.sessionByTokenHash(digest("another token"))).toBeNull();

    // Revoking from another clinic does nothing (ELIG-5); from its own it ends the session.
    expect(await auth.run(world.otherClinic.id, (s) => s.sessions.revoke(digest(token), at(6)))).toBe(false);
    expect(await auth.sessionByTokenHash(digest(token))).not.toBeNull();
    expect(await auth.run(world.clinic.id, (s) => s.sessions.revoke(digest(token), at(6)))).toBe(true);
    expect(await auth.sessionByTokenHash(digest(token))).toBeNull();
  });

  it("SEC-2: revoking all of a person's sessions leaves everyone else's; ended sessions are pruned", async () => {
    const mine = [digest(`mine-1-${Math.random()}`), digest(`mine-2-${Math.random()}`)];
    const theirs = digest(`theirs-${Math.random()}`);
    await auth.run(world.clinic.id, async (s) => {
      for (const tokenHash of mine)
        await s.sessions.create({
          tokenHash,
          person: ref(world.colleague),
          createdAt: at(0),
          expiresAt: at(720),
        });
      await s.sessions.create({
        tokenHash: theirs,
        person: ref(world.practitioner),
        createdAt: at(0),
        expiresAt: at(720),
      });
    });
    expect(await auth.run(world.clinic.id, (s) => s.sessions.revokeAll(ref(world.colleague), at(10)))).toBe(
      2,
    );
    for (const tokenHash of mine) expect(await auth.sessionByTokenHash(tokenHash)).toBeNull();
    expect(await auth.sessionByTokenHash(theirs)).not.toBeNull();

    await auth.run(world.clinic.id, (s) => s.sessions.prune(ref(world.colleague), at(11)));
    const left = await sql<{ n: number }>`select count(*)::int as n from auth_sessions
      where person_id = ${world.colleague.id}`.execute(pg.database().inspect);
    expect(left.rows[0]?.n).toBe(0);
  });

  it("SEC-2: only a 32-byte digest fits the token column; the token itself cannot be stored", async () => {
    await expect(
      withClinic(pg.database().app, world.clinic.id, (trx) =>
        sql`insert into auth_sessions (token_hash, clinic_id, person_kind, person_id, created_at, last_seen_at, expires_at)
          values (convert_to(${randomBytes(32).toString("base64url")}, 'UTF8'), ${world.clinic.id}, 'staff',
            ${world.admin.id}, now(), now(), now() + interval '1 hour')`.execute(trx),
      ),
    ).rejects.toThrow(/check constraint/);
    const columns = await sql<{ table: string; column: string; type: string }>`
      select table_name as table, column_name as column, data_type as type from information_schema.columns
      where table_schema = 'public' and table_name in ('auth_sessions', 'portal_invitations', 'sign_in_failures')
        and column_name in ('token_hash', 'key') order by table_name`.execute(pg.database().owner);
    expect(columns.rows).toEqual([
      { table: "auth_sessions", column: "token_hash", type: "bytea" },
      { table: "portal_invitations", column: "token_hash", type: "bytea" },
      { table: "sign_in_failures", column: "key", type: "bytea" },
    ]);
  });
});

describe("peeking many sessions in one statement (SEC-2, ELIG-6)", () => {
  const now = at(600);
  const options = { maxTouchIntervalMs: 60_000 };
  const peek = { touch: false, ...options };
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  interface Planted {
    readonly person: StaffMember | Patient;
    /** Minutes since it was last seen. */
    readonly idle: number;
    /** Minutes until its absolute expiry (0 or less: expired). */
    readonly expiresIn: number;
    readonly revoked?: boolean;
  }

  /** Stores sessions as the owner would see them after use, returning their digests. */
  async function plant(rows: readonly Planted[]): Promise<Buffer[]> {
    const hashes = rows.map(() => digest(randomBytes(32).toString("base64url")));
    await pg
      .database()
      .inspect.insertInto("auth_sessions")
      .values(
        rows.map((row, i) => ({
          token_hash: hashes[i]!,
          clinic_id: row.person.clinicId,
          person_kind: "role" in row.person ? "staff" : "patient",
          person_id: row.person.id,
          created_at: minutesAgo(Math.max(row.idle, 720 - row.expiresIn)),
          last_seen_at: minutesAgo(row.idle),
          expires_at: minutesAgo(-row.expiresIn),
          revoked_at: row.revoked ? minutesAgo(row.idle) : null,
        })),
      )
      .execute();
    return hashes;
  }

  /** What is stored of each session: when it was last seen and when it ended (null: none stored). */
  async function stored(hashes: readonly Uint8Array[]) {
    return Promise.all(
      hashes.map(async (hash) => {
        const row = await pg
          .database()
          .inspect.selectFrom("auth_sessions")
          .select(["last_seen_at", "revoked_at"])
          .where("token_hash", "=", hash)
          .executeTakeFirst();
        return row ? { lastSeenAt: row.last_seen_at, revokedAt: row.revoked_at } : null;
      }),
    );
  }

  let formerStaff: StaffMember;
  let disabledPatient: Patient;
  beforeAll(async () => {
    formerStaff = staffOf(world.clinic.id, "Fred Former", { active: false });
    disabledPatient = patientOf(world.clinic.id, "Dina Disabled", { portalAccount: "disabled" });
    await world.run(async (s) => {
      await s.directory.saveStaff(formerStaff);
      await s.directory.savePatient(disabledPatient);
    });
  });

  /** Every kind of session: live ones of both clinics (due a slide, were it a touch) and each way of being refused. */
  const cases = (): Planted[] => [
    { person: world.admin, idle: 2, expiresIn: 60 },
    { person: world.patient, idle: 5, expiresIn: 60 },
    { person: world.foreignStaff, idle: 2, expiresIn: 60 },
    { person: world.foreignPatient, idle: 0, expiresIn: 60 },
    { person: world.practitioner, idle: 1, expiresIn: 60, revoked: true },
    { person: world.colleague, idle: 1, expiresIn: 0 },
    { person: world.colleague, idle: 1, expiresIn: -60 },
    { person: world.otherPatient, idle: 15, expiresIn: 60 },
    { person: world.otherPatient, idle: 14.99, expiresIn: 60 },
    { person: formerStaff, idle: 0, expiresIn: 60 },
    { person: disabledPatient, idle: 0, expiresIn: 60 },
  ];

  it("SEC-2 ELIG-6: each answer, in input order, is the single-token peek's answer with the same stored outcome, across two clinics; nothing slides last_seen_at", async () => {
    const rows = cases();
    const single = await plant(rows);
    const batched = await plant(rows);
    // Unknown: a digest nobody holds, and one of the wrong length.
    const unknown = [digest("nobody's token"), Buffer.from("short")];
    const before = await stored(batched);

    const expected: unknown[] = [];
    for (const hash of [...single, ...unknown]) expected.push(await auth.resolveSession(hash, now, peek));
    const answers = await auth.peekSessions([...batched, ...unknown], now, options);

    expect(answers).toEqual(expected);
    expect(await stored(batched)).toEqual(await stored(single));
    // Live ones name their own clinic, the other clinic's included.
    expect(answers.slice(0, 4)).toEqual([
      { clinicId: world.clinic.id, person: ref(world.admin), staffRole: "admin" },
      { clinicId: world.clinic.id, person: ref(world.patient), staffRole: null },
      { clinicId: world.otherClinic.id, person: ref(world.foreignStaff), staffRole: "admin" },
      { clinicId: world.otherClinic.id, person: ref(world.foreignPatient), staffRole: null },
    ]);
    expect(answers.slice(4)).toEqual([null, null, null, null, expect.anything(), null, null, null, null]);
    // A peek never slides the idle timer; only the idle and deactivated sessions were ended, at `now`.
    const after = await stored(batched);
    for (const [i, row] of after.entries()) expect(row!.lastSeenAt, `${i}`).toEqual(before[i]!.lastSeenAt);
    expect(
      after.map((row, i) =>
        row!.revokedAt?.getTime() === before[i]!.revokedAt?.getTime() ? "kept" : row!.revokedAt,
      ),
    ).toEqual(["kept", "kept", "kept", "kept", "kept", "kept", "kept", now, "kept", now, now]);
  });

  it("SEC-2: a digest asked twice in one call answers twice alike: live stays live, idle is ended once", async () => {
    const [live, idle] = await plant([
      { person: world.admin, idle: 3, expiresIn: 60 },
      { person: world.patient, idle: 20, expiresIn: 60 },
    ]);
    const session = { clinicId: world.clinic.id, person: ref(world.admin), staffRole: "admin" };
    expect(await auth.peekSessions([live!, idle!, live!, idle!, live!], now, options)).toEqual([
      session,
      null,
      session,
      null,
      session,
    ]);
    expect(await stored([live!, idle!])).toEqual([
      { lastSeenAt: minutesAgo(3), revokedAt: null },
      { lastSeenAt: minutesAgo(20), revokedAt: now },
    ]);
  });

  it("SEC-2: an empty list answers [] without a query; any other list is one statement", async () => {
    const statements: string[] = [];
    const traced = connectPostgres(pg.database().appUrl, {
      max: 1,
      trace: (statement) => statements.push(statement.sql),
    });
    try {
      const store = createPostgresAuthStore(traced);
      expect(await store.peekSessions([], now, options)).toEqual([]);
      expect(statements).toEqual([]);
      const hashes = await plant([
        { person: world.admin, idle: 0, expiresIn: 60 },
        { person: world.foreignStaff, idle: 0, expiresIn: 60 },
        { person: world.patient, idle: 0, expiresIn: 60, revoked: true },
      ]);
      expect(
        (await store.peekSessions(hashes, now, options)).map((found) => found?.clinicId ?? null),
      ).toEqual([world.clinic.id, world.otherClinic.id, null]);
      expect(statements).toHaveLength(1);
    } finally {
      await traced.destroy();
    }
  });
});

describe("portal invitations (ELIG-1)", () => {
  it("ELIG-1: an invitation is found while unused, works once, not after expiry, and a new one replaces it", async () => {
    const first = digest(`invite-1-${Math.random()}`);
    const second = digest(`invite-2-${Math.random()}`);
    const patientId = world.otherPatient.id;
    await auth.run(world.clinic.id, (s) =>
      s.invitations.create({ tokenHash: first, patientId, createdAt: at(0), expiresAt: at(60) }),
    );
    expect(await auth.invitationByTokenHash(first)).toEqual({
      clinicId: world.clinic.id,
      patientId,
      expiresAt: at(60),
    });
    await auth.run(world.clinic.id, (s) =>
      s.invitations.create({ tokenHash: second, patientId, createdAt: at(1), expiresAt: at(61) }),
    );
    expect(await auth.invitationByTokenHash(first)).toBeNull();
    expect(await auth.run(world.clinic.id, (s) => s.invitations.use(second, at(61)))).toBe(false); // expired
    expect(await auth.run(world.otherClinic.id, (s) => s.invitations.use(second, at(2)))).toBe(false);
    expect(await auth.run(world.clinic.id, (s) => s.invitations.use(second, at(2)))).toBe(true);
    expect(await auth.run(world.clinic.id, (s) => s.invitations.use(second, at(3)))).toBe(false);
    expect(await auth.invitationByTokenHash(second)).toBeNull();
  });
});

describe("staff invitations and the team (ADMIN-2)", () => {
  const invitation = (email: string, n: number, tokenHash: Uint8Array) => ({
    id: `0190f5a2-0000-7000-8000-${String(n).padStart(12, "0")}`,
    tokenHash,
    email,
    role: "practitioner" as const,
    createdAt: at(n),
    expiresAt: at(n + 60),
  });

  it("ADMIN-2: a staff invitation is found by its digest while pending, works once, not after expiry; a new one for the email revokes the old; resend and revoke", async () => {
    const first = digest(`staff-1-${Math.random()}`);
    const second = digest(`staff-2-${Math.random()}`);
    const resent = digest(`staff-3-${Math.random()}`);
    const a = invitation("pia@team.test", 1, first);
    await auth.run(world.clinic.id, (s) => s.team.invite(a));
    expect(await auth.staffInvitationByTokenHash(first)).toEqual({
      clinicId: world.clinic.id,
      invitationId: a.id,
      email: "pia@team.test",
      role: "practitioner",
      expiresAt: at(61),
    });
    const b = invitation("pia@team.test", 2, second);
    await auth.run(world.clinic.id, (s) => s.team.invite(b));
    expect(await auth.staffInvitationByTokenHash(first)).toBeNull();
    expect((await auth.run(world.clinic.id, (s) => s.team.invitations())).map((i) => i.id)).toContain(b.id);
    expect(await auth.run(world.clinic.id, (s) => s.team.invitation(a.id))).toBeNull();

    // Resend: a new digest, a new expiry; the old digest stops working.
    expect(await auth.run(world.clinic.id, (s) => s.team.resend(b.id, resent, at(200)))).toBe(true);
    expect(await auth.staffInvitationByTokenHash(second)).toBeNull();
    expect(await auth.staffInvitationByTokenHash(resent)).toMatchObject({
      invitationId: b.id,
      expiresAt: at(200),
    });
    // ELIG-5: another clinic neither sees, uses, resends nor revokes it.
    expect(await auth.run(world.otherClinic.id, (s) => s.team.invitations())).not.toContainEqual(
      expect.objectContaining({ id: b.id }),
    );
    expect(await auth.run(world.otherClinic.id, (s) => s.team.use(resent, at(3)))).toBe(false);
    expect(await auth.run(world.otherClinic.id, (s) => s.team.revoke(b.id, at(3)))).toBe(false);
    expect(await auth.run(world.clinic.id, (s) => s.team.use(resent, at(200)))).toBe(false); // expired
    expect(await auth.run(world.clinic.id, (s) => s.team.use(resent, at(3)))).toBe(true);
    expect(await auth.run(world.clinic.id, (s) => s.team.use(resent, at(4)))).toBe(false);
    expect(await auth.run(world.clinic.id, (s) => s.team.revoke(b.id, at(4)))).toBe(false);
    expect(await auth.staffInvitationByTokenHash(resent)).toBeNull();

    const c = invitation("rex@team.test", 5, digest(`staff-4-${Math.random()}`));
    await auth.run(world.clinic.id, (s) => s.team.invite(c));
    expect(await auth.run(world.clinic.id, (s) => s.team.revoke(c.id, at(6)))).toBe(true);
    expect(await auth.staffInvitationByTokenHash(c.tokenHash)).toBeNull();
    expect(await auth.run(world.clinic.id, (s) => s.team.resend(c.id, digest("x"), at(300)))).toBe(false);
  });

  it("ADMIN-2: the team lists every staff member of the clinic with their latest sign-in and second factor", async () => {
    const person = ref(world.practitioner);
    await auth.run(world.clinic.id, async (s) => {
      await s.credentials.setPassword(person, `team-${Math.random()}@clinic.test`, hashOf("t"), at(0));
      await s.sessions.create({
        tokenHash: digest(`team-s1-${Math.random()}`),
        person,
        createdAt: at(5),
        expiresAt: at(600),
      });
      await s.sessions.create({
        tokenHash: digest(`team-s2-${Math.random()}`),
        person,
        createdAt: at(9),
        expiresAt: at(600),
      });
    });
    const newcomer = staffOf(world.clinic.id, "Nell Never");
    await auth.run(world.clinic.id, (s) => s.directory.saveStaff(newcomer));
    const members = await auth.run(world.clinic.id, (s) => s.team.members());
    const staffIds = members.map((m) => m.staff.id);
    expect(staffIds).toContain(world.practitioner.id);
    for (const m of members) expect(m.staff.clinicId).toBe(world.clinic.id);
    expect(staffIds).not.toContain(world.foreignStaff.id);
    expect(members.find((m) => m.staff.id === world.practitioner.id)).toMatchObject({
      lastSignInAt: at(9),
      secondFactor: (await auth.run(world.clinic.id, (s) => s.credentials.get(person)))?.totpEnabled,
    });
    // A member who never signed in, without a credential.
    expect(members.find((m) => m.staff.id === newcomer.id)).toMatchObject({
      lastSignInAt: null,
      secondFactor: false,
    });
  });

  it("ADMIN-2: resetting a second factor turns TOTP off and forgets its secret and recovery codes", async () => {
    const person = ref(world.admin);
    await auth.run(world.clinic.id, async (s) => {
      await s.credentials.setPassword(person, `reset-${Math.random()}@clinic.test`, hashOf("r"), at(0));
      await s.credentials.resetSecondFactor(person);
      await s.credentials.startTotp(person, "JBSWY3DPEHPK3PXQ", at(0), null);
      await s.credentials.enableTotp(person, "JBSWY3DPEHPK3PXQ", 1, ["r-1", "r-2"]);
    });
    expect(await auth.run(world.otherClinic.id, (s) => s.credentials.resetSecondFactor(person))).toBe(false);
    expect(await auth.run(world.clinic.id, (s) => s.credentials.resetSecondFactor(person))).toBe(true);
    expect(await auth.run(world.clinic.id, (s) => s.credentials.get(person))).toMatchObject({
      totpEnabled: false,
      totpSecret: null,
      totpStartedAt: null,
      recoveryCodesLeft: 0,
    });
  });
});

describe("counted attempts (SEC-1, ACC-3 rate limiting)", () => {
  it("ACC-3: an attempt is counted under every key only while each holds fewer than its limit inside the window; an uncounted one frees its place; old ones are forgotten", async () => {
    const email = digest(`email:${Math.random()}`);
    const ip = digest(`ip:${Math.random()}`);
    const keys = [
      { key: email, limit: 3 },
      { key: ip, limit: 5 },
    ];
    const rows = async (key: Uint8Array) =>
      (
        await sql<{ at: Date }>`select at from sign_in_failures where key = ${key} order by at`.execute(
          pg.database().inspect,
        )
      ).rows.map((r) => r.at);
    const first = await auth.countAttempt(keys, at(1), at(-14));
    expect(first).toMatchObject({ counted: true });
    await auth.countAttempt(keys, at(2), at(-13));
    await auth.countAttempt(keys, at(3), at(-12));
    // The email holds its 3: refused, and nothing is recorded under either key.
    expect(await auth.countAttempt(keys, at(4), at(-11))).toEqual({ counted: false, oldestCounted: at(1) });
    expect(await rows(email)).toEqual([at(1), at(2), at(3)]);
    expect(await rows(ip)).toEqual([at(1), at(2), at(3)]);
    // An attempt that proved right is taken back under both keys.
    if (!first.counted) throw new Error("expected the first attempt counted");
    await auth.uncountAttempt(first.ids);
    expect(await rows(email)).toEqual([at(2), at(3)]);
    expect(await auth.countAttempt(keys, at(5), at(-10))).toMatchObject({ counted: true });
    // Out of the window: minute 2 no longer counts, and is forgotten when a later attempt is counted.
    expect(await auth.countAttempt(keys, at(17), at(2))).toMatchObject({ counted: true });
    expect(await rows(email)).toEqual([at(3), at(5), at(17)]);
    expect(await auth.countAttempt([], at(18), at(3))).toEqual({ counted: true, ids: [] });
  });

  it("ACC-3: 100 concurrent attempts for one key: exactly the limit are counted, the rest refused", async () => {
    const key = digest(`email:${Math.random()}`);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => auth.countAttempt([{ key, limit: 5 }], at(1), at(-14))),
    );
    expect(answers.filter((a) => a.counted)).toHaveLength(5);
    const stored = await sql<{
      n: number;
    }>`select count(*)::int as n from sign_in_failures where key = ${key}`.execute(pg.database().inspect);
    expect(stored.rows[0]?.n).toBe(5);
  });
});

describe("the pre-clinic look-ups (SEC-4)", () => {
  it("SEC-4: they are SECURITY DEFINER with a pinned search path, and only the application role may call them", async () => {
    const owner = pg.database().owner;
    const rows = await sql<{ signature: string; definer: boolean; config: string[] | null; public: boolean }>`
      select p.oid::regprocedure::text as signature, p.prosecdef as definer, p.proconfig as config,
        exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
          where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.prosecdef`.execute(owner);
    expect(rows.rows.map((r) => r.signature).sort()).toEqual(
      appFunctions.map((f) => f.replaceAll(", ", ",")).sort(),
    );
    // The session check also carries how its statements are planned (migration 0043).
    const planning = ["plan_cache_mode=force_generic_plan", "enable_seqscan=off", "enable_bitmapscan=off"];
    for (const row of rows.rows) {
      expect(row.config, row.signature).toEqual([
        "search_path=pg_catalog, pg_temp",
        ...(row.signature.startsWith("auth_resolve_session(") ? planning : []),
      ]);
      expect(row.public, row.signature).toBe(false);
    }
  });

  it("SEC-4 ELIG-5: the application role reads no credential, session or invitation directly without its clinic", async () => {
    await auth.run(world.clinic.id, (s) =>
      s.credentials.setPassword(
        ref(world.practitioner),
        `direct-${Math.random()}@clinic.test`,
        hashOf("g"),
        at(0),
      ),
    );
    const app = pg.database().app;
    for (const table of ["auth_credentials", "auth_sessions", "portal_invitations", "staff_invitations"]) {
      const none = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(app);
      expect(none.rows[0]?.n, table).toBe(0);
      const foreign = await withClinic(app, world.otherClinic.id, (trx) =>
        sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
          where clinic_id = ${world.clinic.id}`.execute(trx),
      );
      expect(foreign.rows[0]?.n, table).toBe(0);
    }
  });
});
