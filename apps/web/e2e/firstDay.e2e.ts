import { connectPostgres } from "@clinic-chat/adapters";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { type Clinic, nextDstMonday, shoot, signInWithCode } from "./support/firstDay";
import { operatorCommand } from "./support/operator";
import { importFiftyPatients, rosa } from "./support/patientImport";
import { Authenticator } from "./support/signIn";
import { acceptStaffInvitationAs } from "./support/staffInvitation";
import { productForFile, type TestProduct } from "./support/testProduct";

// The proof of issue 14: a real clinic's first day on an empty database, from the operator's
// command to a practitioner and a patient chatting. The browser is in UTC and the clinic in Los
// Angeles, so every time typed or read is on the clinic's clock, not the device's.

const clinic: Clinic = {
  name: "Harbor Light Clinic",
  timeZone: "America/Los_Angeles",
  admin: "ada.admin@harborlight.example",
  practitioner: "dr.paz@harborlight.example",
  frontDesk: "finn.desk@harborlight.example",
};
const staffPassword = "harbor light staff passphrase";
const patientPassword = "rosa's own portal passphrase";

describe("issue 14: a real clinic starts on an empty database (DEMO_SEED=never)", () => {
  let product: TestProduct;
  let browser: Browser;
  let owner: ReturnType<typeof connectPostgres>;
  const authenticator = new Authenticator();
  /** Filled in as the day goes: later steps sign in where earlier ones left off. */
  const day = { clinicId: "", appointmentId: "", conversationId: "" };

  productForFile(
    (started) => {
      ({ product, browser } = started);
    },
    { demoSeed: false },
  );
  beforeAll(async () => {
    owner = connectPostgres(product.inspectUrl, { max: 1 });
  });
  afterAll(async () => {
    await owner?.destroy();
  });

  /** Patients of the clinic, and distinct host ids among them, as the database holds them. */
  const patientCounts = async () =>
    (
      await sql<{ patients: number; hostIds: number }>`select count(*)::int as "patients",
        count(distinct host_id)::int as "hostIds" from patients where clinic_id = ${day.clinicId}`.execute(
        owner,
      )
    ).rows[0] ?? { patients: -1, hostIds: -1 };

  const acceptStaffInvitation = (page: Page, email: string, name: string, role: string, shot: string) =>
    acceptStaffInvitationAs(
      page,
      { product, authenticator, clinicName: clinic.name, password: staffPassword },
      {
        email,
        name,
        role,
        shot,
      },
    );

  it("ADMIN-1..5: the operator creates the clinic; its staff join; 50 patients arrive from CSV; an appointment is booked on the clinic's clock; a patient joins and chats with the practitioner", async () => {
    // ADMIN-1: the operator command, as typed, against the running product's database.
    const createArgs = (plan: string) => [
      "create",
      "--name",
      clinic.name,
      "--plan",
      plan,
      "--time-zone",
      clinic.timeZone,
      "--admin",
      clinic.admin,
    ];
    const refused = await operatorCommand(product, createArgs("gold"));
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("--plan must be one of starter, enhanced, premium.");
    const created = await operatorCommand(product, createArgs("enhanced"));
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(created.out).toContain(`Invited ${clinic.admin} as the clinic's admin`);
    const listed = await operatorCommand(product, ["list"]);
    const line = listed.out.split("\n").find((l) => l.includes(clinic.name)) ?? "";
    expect(line).toMatch(/enhanced\s+America\/Los_Angeles/);
    day.clinicId = line.split(/\s+/)[0] ?? "";
    expect(day.clinicId).toMatch(/^[0-9a-f-]{36}$/);

    // ADMIN-2: the first admin accepts the emailed invitation.
    const admin = await newPerson(browser, product.url);
    await acceptStaffInvitation(admin.page, clinic.admin, "Ada Admin", "an admin", "admin");

    // The admin invites a practitioner and a front-desk member, who both accept.
    await admin.page.getByRole("link", { name: "Team" }).click();
    await admin.page.getByRole("heading", { name: "Team", level: 1 }).waitFor();
    for (const [email, role] of [
      [clinic.practitioner, "practitioner"],
      [clinic.frontDesk, "staff"],
    ] as const) {
      await admin.page.getByLabel("Email").fill(email);
      await admin.page.getByLabel("Role", { exact: true }).selectOption(role);
      await admin.page.getByRole("button", { name: "Send invitation" }).click();
      await admin.page.getByText("Invitation sent. The link works for 7 days.").waitFor();
      await admin.page
        .getByRole("row", { name: new RegExp(email) })
        .getByRole("cell", { name: "Invited" })
        .waitFor();
    }
    await expectAccessible(admin.page, "Team with two invitations");
    await shoot(admin.page, "team-invited");

    const practitioner = await newPerson(browser, product.url);
    await acceptStaffInvitation(
      practitioner.page,
      clinic.practitioner,
      "Dr. Lena Paz",
      "a practitioner",
      "practitioner",
    );
    const frontDesk = await newPerson(browser, product.url, viewports.phone);
    await acceptStaffInvitation(
      frontDesk.page,
      clinic.frontDesk,
      "Finn Desk",
      "front desk staff",
      "front-desk",
    );

    await admin.page.reload();
    for (const name of ["Dr. Lena Paz", "Finn Desk"])
      await admin.page
        .getByRole("row", { name: new RegExp(name) })
        .getByRole("cell", { name: "Active" })
        .waitFor();
    await shoot(admin.page, "team-active");

    // A new clinic starts with chat for patients off (PRODUCT.md §1): the admin turns it on.
    await admin.page.getByRole("link", { name: "Patient Portal" }).click();
    await admin.page.getByRole("heading", { name: "Patient Portal", level: 1 }).waitFor();
    const patientChat = admin.page.getByRole("switch", {
      name: "Chat for your patients available in Patient Portal",
    });
    expect(await patientChat.getAttribute("aria-checked")).toBe("false");
    await patientChat.click();
    await expect.poll(() => patientChat.getAttribute("aria-checked")).toBe("true");
    await expectAccessible(admin.page, "Clinic Settings › Patient Portal");
    await shoot(admin.page, "patient-portal-settings");

    // ADMIN-3: 50 patients from CSV: 3 bad rows reported, fixed, imported, re-imported.
    await importFiftyPatients(admin.page, patientCounts);

    // ADMIN-4: the front desk (on a phone, in UTC) books on the clinic's clock, on a day after
    // the clocks go forward in Los Angeles.
    const when = nextDstMonday(new Date());
    await frontDesk.page.goto("/staff/patients");
    await frontDesk.page.getByRole("link", { name: rosa.name }).click();
    await frontDesk.page.getByRole("heading", { name: rosa.name, level: 2 }).waitFor();
    await frontDesk.page.getByRole("link", { name: "Book an appointment" }).click();
    await frontDesk.page.getByRole("heading", { name: "Book an appointment", level: 1 }).waitFor();
    await frontDesk.page
      .getByText("Times are in the clinic's time zone: Pacific Time (America/Los_Angeles).")
      .waitFor();
    await frontDesk.page.getByLabel("Practitioner", { exact: true }).fill("Paz");
    await frontDesk.page.getByRole("radio", { name: "Dr. Lena Paz" }).click();
    await frontDesk.page.getByLabel("Day").fill(when.date);
    await frontDesk.page.getByLabel("Start time").fill("10:00");
    await frontDesk.page.getByLabel("Length").selectOption("30");
    await expectAccessible(frontDesk.page, "Book an appointment, filled in, on a phone");
    await shoot(frontDesk.page, "book-appointment");
    expect(await frontDesk.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewports.phone.width,
    );
    await frontDesk.page.getByRole("button", { name: "Book appointment" }).click();
    await frontDesk.page.getByRole("heading", { name: "Appointment Details", level: 1 }).waitFor();
    day.appointmentId = new URL(frontDesk.page.url()).pathname.split("/").pop() ?? "";
    const details = frontDesk.page.locator(".details__list");
    await details.getByText(/10:00\sAM – 10:30\sAM/).waitFor();
    await details.getByText("Pacific Time (America/Los_Angeles)").waitFor();
    await expectAccessible(frontDesk.page, "Appointment Details on a phone");
    await shoot(frontDesk.page, "appointment-details");
    const stored = await sql<{ starts_at: Date }>`select starts_at from appointments
      where id = ${day.appointmentId}`.execute(owner);
    // Pacific Daylight Time: 10:00 is 17:00 UTC (in winter it would be 18:00).
    expect(stored.rows[0]?.starts_at.toISOString()).toBe(`${when.date}T17:00:00.000Z`);

    // ADMIN-3: the patient is invited from the Patient File and accepts on a phone.
    await admin.page.goto("/staff/patients");
    await admin.page.getByRole("link", { name: rosa.name }).click();
    await admin.page.getByRole("heading", { name: rosa.name, level: 2 }).waitFor();
    await admin.page.getByRole("button", { name: "Invite to Patient Portal" }).click();
    await admin.page.getByText("The invitation email is on its way.").waitFor();
    await expectAccessible(admin.page, "Patient File, invited");
    await shoot(admin.page, "patient-file-invited");
    const patient = await newPerson(browser, product.url, viewports.phone);
    await patient.page.goto(await product.invitationLink(rosa.email));
    await patient.page.getByRole("heading", { name: "Welcome to the Patient Portal" }).waitFor();
    await expectAccessible(patient.page, "patient invitation");
    await shoot(patient.page, "patient-invitation");
    await patient.page.getByLabel("New password").fill(patientPassword);
    await patient.page.getByLabel("Type it again").fill(patientPassword);
    await patient.page.getByRole("button", { name: "Set password and sign in" }).click();
    await patient.page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();
    await expectAccessible(patient.page, "portal Chat, first visit");

    // The practitioner starts the chat; a message each way, each seen live.
    await practitioner.page.getByRole("button", { name: "Start a chat" }).click();
    const dialog = practitioner.page.getByRole("dialog", { name: "Start a chat" });
    await dialog.getByRole("radio", { name: "Patient" }).check();
    await dialog.getByLabel("Search patients by name").fill("Delgado");
    await dialog.getByText(rosa.birthDateShown).waitFor();
    await expectAccessible(practitioner.page, "Start a chat with the new patient");
    await dialog.getByRole("radio", { name: rosa.name }).check();
    await dialog.getByRole("button", { name: "Start Chat" }).click();
    await practitioner.page.getByRole("heading", { name: rosa.name, level: 2 }).waitFor();
    day.conversationId = new URL(practitioner.page.url()).pathname.split("/").pop() ?? "";
    // START-3: the patient's list shows the conversation only once something is written in it.
    const conversationLink = patient.page.getByRole("link", { name: /Dr\. Lena Paz/ });
    expect(await conversationLink.count()).toBe(0);

    const hello = "Hello Rosa, welcome to Harbor Light. See you on Monday.";
    await practitioner.page.getByRole("textbox", { name: "Message" }).fill(hello);
    await practitioner.page.keyboard.press("Enter");
    await conversationLink.click();
    await patient.page.getByRole("heading", { name: "Dr. Lena Paz", level: 2 }).waitFor();
    await patient.page.getByText(hello).waitFor();
    const reply = "Thank you, doctor. See you then.";
    await patient.page.getByRole("textbox", { name: "Message" }).fill(reply);
    await patient.page.keyboard.press("Enter");
    await practitioner.page.getByText(reply).waitFor();
    await expectAccessible(practitioner.page, "practitioner's conversation");
    await expectAccessible(patient.page, "patient's conversation on a phone");
    await shoot(practitioner.page, "chat-practitioner");
    await shoot(patient.page, "chat-patient");

    // ACC-1: a deep link opened signed out returns there after sign-in (staff with their code).
    const later = await newPerson(browser, product.url);
    await later.page.goto(`/staff/appointments/${day.appointmentId}`);
    await later.page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
    expect(new URL(later.page.url()).searchParams.get("next")).toBe(
      `/staff/appointments/${day.appointmentId}`,
    );
    await signInWithCode(later.page, clinic.practitioner, staffPassword, authenticator);
    await later.page.getByRole("heading", { name: "Appointment Details", level: 1 }).waitFor();
    expect(new URL(later.page.url()).pathname).toBe(`/staff/appointments/${day.appointmentId}`);

    for (const person of [admin, practitioner, frontDesk, patient, later]) await person.context.close();
  }, 600_000);

  it("ACC-1: the patient, sent to sign in from a link to their conversation, forgets the password, resets it by email and lands in the conversation", async () => {
    const { context, page } = await newPerson(browser, product.url, viewports.phone);
    const conversation = `/portal/chat/${day.conversationId}`;
    await page.goto(conversation);
    await page.getByRole("heading", { name: "Patient Portal sign-in" }).waitFor();
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Reset your password", level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get("next")).toBe(conversation);
    await expectAccessible(page, "portal forgot password");
    await page.getByLabel("Email").fill(rosa.email);
    await page.getByRole("button", { name: "Email me a link" }).click();
    await page.getByText("we sent it a link to choose a new password").waitFor();
    await shoot(page, "forgot-password-sent");

    let link = "";
    for (let i = 0; i < 50 && !link; i++) {
      link = await product.passwordResetLink(rosa.email).catch(() => "");
      if (!link) await new Promise((r) => setTimeout(r, 200));
    }
    // The link names the conversation by id only: no name, no message.
    expect(new URL(link).searchParams.get("next")).toBe(conversation);
    expect(link).not.toMatch(/rosa|delgado/i);
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password", level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe("");
    await expectAccessible(page, "portal reset password");
    const newPassword = "rosa's newer portal passphrase";
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Type it again").fill(newPassword);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText("Your password is changed. Sign in with your new password.").waitFor();
    await page.getByLabel("Email").fill(rosa.email);
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dr. Lena Paz", level: 2 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(conversation);
    await page.getByText("Thank you, doctor. See you then.").waitFor();
    await expectAccessible(page, "the conversation after the reset");
    await context.close();
  });

  it("ACC-2: the front desk changes their password in My Account and signs in with it and their code", async () => {
    const { context, page } = await newPerson(browser, product.url);
    await signInWithCode(page, clinic.frontDesk, staffPassword, authenticator);
    await page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();
    await page.goto("/staff/account");
    await page.getByRole("heading", { name: "Change password", level: 2 }).waitFor();
    await expectAccessible(page, "My Account");
    const newPassword = "finn's changed staff passphrase";
    await page.getByLabel("Current password").fill(staffPassword);
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("New password again").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password is changed.").waitFor();
    await shoot(page, "password-changed");

    const other = await newPerson(browser, product.url);
    await signInWithCode(other.page, clinic.frontDesk, newPassword, authenticator);
    await other.page.getByRole("heading", { name: "Chat", level: 1 }).waitFor();
    await other.context.close();
    await context.close();
  });
});
