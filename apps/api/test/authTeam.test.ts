import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../src/auth/totp";
import { type AuthApi, type Browser, failure, startAuthApi } from "./support/authApi";
import { enrolStaff } from "./support/signInFlows";

let api: AuthApi;
let admin: Browser;
let adminB: Browser;
let doctor: Browser;
beforeAll(async () => {
  api = await startAuthApi();
  admin = api.browser();
  adminB = api.browser();
  doctor = api.browser();
  await enrolStaff(api, admin, api.world.a.admin);
  await enrolStaff(api, adminB, api.world.b.admin);
  await enrolStaff(api, doctor, api.world.a.doctor);
});
afterAll(async () => {
  await api.close();
});

const newPassword = "a long staff password";
let next = 1;

/** The token in the staff invitation link of the last email sent. */
function lastStaffToken(): string {
  const text = api.mailer.sent.at(-1)?.text ?? "";
  const match = /http:\/\/clinic\.test\/staff\/invitation#([A-Za-z0-9_-]{43})/.exec(text);
  if (!match?.[1]) throw new Error("no staff invitation link in the last email");
  return match[1];
}

/** Invites a new email, accepts, enrols TOTP; the new member's browser, email, id and secret. */
async function join(role: "admin" | "practitioner" | "staff") {
  const email = `new${next++}@team.test`;
  await admin.trpc.team.invite.mutate({ email, role });
  const token = lastStaffToken();
  const browser = api.browser();
  expect(
    await browser.trpc.auth.acceptStaffInvitation.mutate({ token, name: "Nell New", password: newPassword }),
  ).toEqual({
    email,
  });
  const first = await browser.trpc.auth.signIn.mutate({ audience: "staff", email, password: newPassword });
  if (first.status !== "totpEnrolmentRequired") throw new Error(`expected enrolment, got ${first.status}`);
  const done = await browser.trpc.auth.signIn.mutate({
    audience: "staff",
    email,
    password: newPassword,
    code: totpCode(first.secret, api.clock.now()),
  });
  expect(done).toMatchObject({ status: "signedIn" });
  const list = await admin.trpc.team.list.query();
  const member = list.members.find((m) => m.email === email)!;
  return { browser, email, id: member.id, secret: first.secret, done };
}

describe("Staff invitations (ADMIN-2)", () => {
  it("ADMIN-2: an admin invites by email with a role; the branded single-use link sets a password, TOTP enrolment follows, ten recovery codes", async () => {
    const invited = await admin.trpc.team.invite.mutate({
      email: " Pia.Practitioner@Team.test ",
      role: "practitioner",
    });
    const email = api.mailer.sent.at(-1)!;
    expect(email.to).toBe("pia.practitioner@team.test");
    expect(email.subject).toBe("Join Maple Clinic on Clinic Chat");
    expect(email.text).toContain("Maple Clinic invited you to Clinic Chat as a practitioner.");
    const token = lastStaffToken();

    const listed = await admin.trpc.team.list.query();
    expect(listed.invitations).toContainEqual(
      expect.objectContaining({
        id: invited.invitationId,
        email: "pia.practitioner@team.test",
        status: "invited",
      }),
    );

    const browser = api.browser();
    expect(await browser.trpc.auth.staffInvitation.mutate({ token })).toEqual({
      clinicName: "Maple Clinic",
      email: "pia.practitioner@team.test",
      role: "practitioner",
    });
    await browser.trpc.auth.acceptStaffInvitation.mutate({
      token,
      name: "Pia Practitioner",
      password: newPassword,
    });
    // Single use.
    expect(
      await failure(
        browser.trpc.auth.acceptStaffInvitation.mutate({ token, name: "Again", password: newPassword }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect((await failure(api.browser().trpc.auth.staffInvitation.mutate({ token }))).message).toMatch(
      /invitation/i,
    );

    const first = await browser.trpc.auth.signIn.mutate({
      audience: "staff",
      email: "pia.practitioner@team.test",
      password: newPassword,
    });
    if (first.status !== "totpEnrolmentRequired") throw new Error(first.status);
    expect(first.uri).toContain("Maple%20Clinic");
    const done = await browser.trpc.auth.signIn.mutate({
      audience: "staff",
      email: "pia.practitioner@team.test",
      password: newPassword,
      code: totpCode(first.secret, api.clock.now()),
    });
    expect(done).toMatchObject({ status: "signedIn" });
    expect(done.status === "signedIn" ? done.recoveryCodes : null).toHaveLength(10);
    expect(await browser.trpc.auth.me.query()).toMatchObject({
      person: { kind: "staff" },
      role: "practitioner",
    });

    const after = await admin.trpc.team.list.query();
    expect(after.invitations.map((i) => i.id)).not.toContain(invited.invitationId);
    expect(after.members).toContainEqual(
      expect.objectContaining({
        name: "Pia Practitioner",
        email: "pia.practitioner@team.test",
        role: "practitioner",
        status: "active",
        secondFactor: true,
        lastSignInAt: api.clock.now().toISOString(),
      }),
    );
  });

  it("ADMIN-2: resending replaces the link; revoking ends it; an email already on the team is refused", async () => {
    const { invitationId } = await admin.trpc.team.invite.mutate({ email: "rex@team.test", role: "staff" });
    // The role as Clinic Settings › Team names it.
    expect(api.mailer.sent.at(-1)?.text).toContain(
      "Maple Clinic invited you to Clinic Chat as front desk staff.",
    );
    const oldToken = lastStaffToken();
    await admin.trpc.team.resendInvitation.mutate({ invitationId });
    const newToken = lastStaffToken();
    expect(newToken).not.toBe(oldToken);
    expect((await failure(api.browser().trpc.auth.staffInvitation.mutate({ token: oldToken }))).code).toBe(
      "NOT_FOUND",
    );
    expect(await api.browser().trpc.auth.staffInvitation.mutate({ token: newToken })).toMatchObject({
      email: "rex@team.test",
    });

    await admin.trpc.team.revokeInvitation.mutate({ invitationId });
    expect(
      (
        await failure(
          api
            .browser()
            .trpc.auth.acceptStaffInvitation.mutate({ token: newToken, name: "Rex", password: newPassword }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect((await admin.trpc.team.list.query()).invitations.map((i) => i.id)).not.toContain(invitationId);
    expect(await failure(admin.trpc.team.resendInvitation.mutate({ invitationId }))).toMatchObject({
      domainCode: "NOT_FOUND",
    });

    expect(
      (await failure(admin.trpc.team.invite.mutate({ email: api.world.a.doctor.email, role: "staff" })))
        .message,
    ).toBe("A member of this clinic's team already signs in with this email address.");
  });
});

describe("Team administration (ADMIN-2, ELIG-6)", () => {
  it("ADMIN-2: an admin changes a role; ELIG-6: deactivation ends the member's sessions at once, reactivation lets them sign in again", async () => {
    const member = await join("staff");
    await admin.trpc.team.changeRole.mutate({ staffId: member.id, role: "practitioner" });
    expect(await member.browser.trpc.auth.me.query()).toMatchObject({ role: "practitioner" });

    await admin.trpc.team.deactivate.mutate({ staffId: member.id });
    expect((await failure(member.browser.trpc.auth.me.query())).code).toBe("UNAUTHORIZED");
    const listed = (await admin.trpc.team.list.query()).members.find((m) => m.id === member.id);
    expect(listed?.status).toBe("deactivated");
    const revoked = await api.owner
      .selectFrom("auth_sessions")
      .select("revoked_at")
      .where("person_id", "=", member.id)
      .execute();
    expect(revoked.length).toBeGreaterThan(0);
    expect(revoked.every((r) => r.revoked_at !== null)).toBe(true);

    await admin.trpc.team.reactivate.mutate({ staffId: member.id });
    api.clock.advance(30_000);
    const again = await member.browser.trpc.auth.signIn.mutate({
      audience: "staff",
      email: member.email,
      password: newPassword,
      code: totpCode(member.secret, api.clock.now()),
    });
    expect(again.status).toBe("signedIn");
  });

  it("ADMIN-2: resetting a second factor ends the member's sessions and they enrol again at next sign-in", async () => {
    const member = await join("staff");
    await admin.trpc.team.resetSecondFactor.mutate({ staffId: member.id });
    expect((await failure(member.browser.trpc.auth.me.query())).code).toBe("UNAUTHORIZED");
    const next = await member.browser.trpc.auth.signIn.mutate({
      audience: "staff",
      email: member.email,
      password: newPassword,
    });
    expect(next.status).toBe("totpEnrolmentRequired");
  });

  it("ADMIN-2: the last active admin can be neither deactivated nor demoted", async () => {
    const adminId = api.world.a.admin.id;
    const refusal =
      "This is the clinic's last active admin. Make another team member an admin first, so someone can still manage the clinic.";
    expect(await failure(admin.trpc.team.deactivate.mutate({ staffId: adminId }))).toMatchObject({
      code: "CONFLICT",
      domainCode: "LAST_ACTIVE_ADMIN",
      message: refusal,
    });
    expect(
      await failure(admin.trpc.team.changeRole.mutate({ staffId: adminId, role: "staff" })),
    ).toMatchObject({
      domainCode: "LAST_ACTIVE_ADMIN",
    });
    const second = await join("admin");
    await second.browser.trpc.team.changeRole.mutate({ staffId: adminId, role: "practitioner" });
    expect(await failure(second.browser.trpc.team.deactivate.mutate({ staffId: second.id }))).toMatchObject({
      domainCode: "LAST_ACTIVE_ADMIN",
    });
    await second.browser.trpc.team.changeRole.mutate({ staffId: adminId, role: "admin" });
    expect(await admin.trpc.team.list.query()).toMatchObject({ members: expect.any(Array) });
  });

  it("ADMIN-2: non-admins are refused, and another clinic's admin sees and changes nothing here (ELIG-5)", async () => {
    expect(await failure(doctor.trpc.team.list.query())).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await failure(doctor.trpc.team.invite.mutate({ email: "x@team.test", role: "admin" })),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    const listB = await adminB.trpc.team.list.query();
    expect(listB.members.map((m) => m.email)).not.toContain(api.world.a.doctor.email);
    expect(listB.invitations.map((i) => i.email)).not.toContain("rex@team.test");
    expect(
      await failure(adminB.trpc.team.deactivate.mutate({ staffId: api.world.a.doctor.id })),
    ).toMatchObject({ domainCode: "NOT_FOUND" });
    expect(
      await failure(adminB.trpc.team.resetSecondFactor.mutate({ staffId: api.world.a.doctor.id })),
    ).toMatchObject({ domainCode: "NOT_FOUND" });
    expect(await doctor.trpc.auth.me.query()).toMatchObject({ person: { kind: "staff" } });
  });
});
