import { connectPostgres } from "@clinic-chat/adapters";
import { createClinicChat } from "@clinic-chat/domain";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const shots = process.env.INBOX_SHOTS;

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

/** The count a staff member's inbox view shows. */
const countOf = (page: Page, view: string) => page.getByTestId(`inbox-count-${view}`).textContent();

describe("the clinic's inbox and office hours in the browser", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  /** Superuser reads and the delay change, beside the product. */
  let inspect: ReturnType<typeof connectPostgres>;

  productForFile((started) => {
    ({ product, browser } = started);
    inspect = connectPostgres(product.inspectUrl, { max: 1 });
  });
  afterAll(async () => {
    await inspect?.destroy();
  });

  /** Notification timers not yet run (pg-boss jobs waiting, retrying or running). */
  const pendingNotifications = async () =>
    (
      await sql<{ n: number }>`select count(*)::int as n from pgboss.job
        where name = 'clinic-chat.notification-timer' and state in ('created', 'retry', 'active')`.execute(
        inspect,
      )
    ).rows[0]?.n;

  it("HOURS-1…4, INBOX-1…4: after hours the patient sees the notice, then the automatic reply; A claims, B sees it move, A closes, the patient's reply reopens it, and only A is emailed", async () => {
    const alex = product.person("Alex Morgan");
    const jordan = product.person("Jordan Lee");
    const elena = product.person("Elena Garcia");
    // The clinic's conversation with Elena, with both staff members in it.
    const chat = createClinicChat(product.product.domain);
    const admin = { clinicId: alex.clinicId, person: { kind: "staff" as const, id: alex.personId } };
    const { conversation } = await chat.startPatientChat(admin, { patientId: elena.personId });
    await chat.addParticipant(admin, { conversationId: conversation.id, staffId: jordan.personId });

    const a = await newPerson(browser, product.url);
    const b = await newPerson(browser, product.url);
    const patient = await newPerson(browser, product.url, viewports.phone);

    // HOURS-1, HOURS-4: the admin keeps office hours in which today is a closed date, so it is after hours now.
    await signInStaff(a.page, alex, authenticator);
    await a.page.getByRole("link", { name: "Office hours" }).click();
    await a.page.getByRole("heading", { name: "Office hours", level: 1 }).waitFor();
    await expectAccessible(a.page, "Clinic Settings › Office hours");
    const today = new Date().toISOString().slice(0, 10);
    await a.page.getByLabel("Time zone").selectOption("UTC");
    await a.page.getByLabel("Closed dates").fill(today);
    await a.page.getByRole("button", { name: "Add date" }).click();
    await a.page
      .getByLabel("Messaging guidelines")
      .fill("For emergencies call 911. We answer messages within one business day.");
    await a.page.getByLabel(/Automatic reply after hours/).check();
    await a.page.getByRole("button", { name: "Save office hours" }).click();
    await a.page.getByText("Office hours saved.").waitFor();
    // Who is emailed is this test's subject (INBOX-4), not when (NOTIF-1 is proved with the domain's
    // clock): notification timers fire at once, below the settings' minimum, as the fault tests set it.
    await sql`update clinics set notification_delay_seconds = 0 where id = ${alex.clinicId}`.execute(inspect);
    await shot(a.page, "office-hours-desktop");

    // HOURS-2, HOURS-4: before sending, the patient sees the guidelines and the after-hours notice.
    await signInPatient(patient.page, elena);
    await patient.page.goto(`/portal/chat/${conversation.id}`);
    await patient.page
      .getByTestId("guidelines")
      .getByText(/For emergencies call 911/)
      .waitFor();
    const notice = patient.page.getByTestId("after-hours-notice");
    await notice.getByText("The clinic is closed now.").waitFor();
    expect(await notice.textContent()).toMatch(/Your message will be read when it opens: /);
    await expectAccessible(patient.page, "patient conversation after hours (phone)");
    await shot(patient.page, "after-hours-notice-phone");

    // Staff B watches the Unassigned view.
    await signInStaff(b.page, jordan, authenticator);
    await b.page.getByTestId("inbox-view-unassigned").click();
    await expect.poll(() => countOf(b.page, "unassigned")).toBe("0");

    // The patient writes; HOURS-3: the automatic reply follows, once.
    await patient.page.getByRole("textbox", { name: "Message" }).fill("Could I get a refill of my inhaler?");
    await patient.page.keyboard.press("Enter");
    await patient.page.getByTestId("auto-reply").waitFor();
    expect(await patient.page.getByTestId("auto-reply").count()).toBe(1);
    await shot(patient.page, "auto-reply-phone");

    // INBOX-1: B sees it live in Unassigned, with the preview and its sender.
    await expect.poll(() => countOf(b.page, "unassigned")).toBe("1");
    const row = b.page.getByTestId("inbox-row").first();
    expect(await row.getByTestId("inbox-preview").textContent()).toBe(
      "Elena Garcia: Could I get a refill of my inhaler?",
    );
    await expect.poll(() => countOf(b.page, "awaiting")).toBe("1");
    await expectAccessible(b.page, "staff inbox, Unassigned");
    await shot(b.page, "inbox-unassigned-desktop");
    // INBOX-4: unassigned, both staff participants hear of it.
    await expect.poll(() => product.emailCount(jordan.email), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => product.emailCount(alex.email), { timeout: 60_000 }).toBe(1);

    // INBOX-1, INBOX-2: A claims; B sees it leave Unassigned, assigned to A.
    await a.page.goto(`/staff/chat/${conversation.id}`);
    await a.page.getByTestId("inbox-state").getByText("Unassigned").waitFor();
    await expectAccessible(a.page, "staff conversation with inbox controls");
    await a.page.getByRole("button", { name: "Claim" }).click();
    await a.page.getByTestId("inbox-state").getByText("Assigned to you").waitFor();
    await a.page.getByText("Alex Morgan claimed this").waitFor();
    await shot(a.page, "conversation-claimed-desktop");
    await expect.poll(() => countOf(b.page, "unassigned")).toBe("0");
    await b.page.getByTestId("inbox-view-open").click();
    await b.page.getByTestId("inbox-assignee").getByText("Assigned to Alex Morgan").waitFor();

    // A closes it: it moves to Closed, out of Awaiting reply.
    await a.page.getByRole("button", { name: "Close", exact: true }).click();
    await a.page.getByTestId("inbox-state").getByText("Closed").waitFor();
    await expect.poll(() => countOf(b.page, "closed")).toBe("1");
    await expect.poll(() => countOf(b.page, "awaiting")).toBe("0");

    // A leaves the conversation; the patient's reply reopens it (INBOX-2) and emails A only (INBOX-4).
    await a.page.goto("/staff/chat");
    await a.page.getByTestId("inbox-view-mine").click();
    await expect.poll(() => countOf(a.page, "mine")).toBe("0");
    await patient.page.getByRole("textbox", { name: "Message" }).fill("It is getting worse, please call me.");
    await patient.page.keyboard.press("Enter");
    await expect.poll(() => countOf(a.page, "mine")).toBe("1");
    await expect.poll(() => countOf(b.page, "closed")).toBe("0");
    expect(await a.page.title()).toMatch(/^\(\d+\) Chat · Clinic Chat$/);
    await expect.poll(() => product.emailCount(alex.email), { timeout: 60_000 }).toBe(2);
    // Every notification timer has run, so a stray notification to B would have arrived by now.
    await expect.poll(pendingNotifications, { timeout: 60_000 }).toBe(0);
    expect(await product.emailCount(jordan.email)).toBe(1);
    // HOURS-3: within 12 hours, no second automatic reply.
    expect(await patient.page.getByTestId("auto-reply").count()).toBe(1);

    // The phone layout of the staff inbox, checked too.
    await b.page.setViewportSize(viewports.phone);
    await b.page.goto("/staff/chat");
    await b.page.getByTestId("inbox-view-open").waitFor();
    await expectAccessible(b.page, "staff inbox on a phone");
    await shot(b.page, "inbox-phone");
    for (const person of [a, b, patient]) await person.context.close();
  }, 240_000);
});
