import { connectPostgres } from "@clinic-chat/adapters";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson } from "./support/browser";
import { shoot } from "./support/firstDay";
import { Authenticator, signInStaff } from "./support/signIn";
import { password, productForFile, type TestProduct } from "./support/testProduct";

// INTEG-1 and INTEG-3 in the browser: an admin makes an API credential on Clinic Settings ›
// Integrations; the host system sends an appointment through the FHIR endpoint with it; then the
// host's own page links into Clinic Chat by the host's ids and lands in the patient's conversation,
// signed in or not.

const conversationIdOf = (page: Page) => new URL(page.url()).pathname.split("/").pop() ?? "";

/** A page of the host system, outside the app: its "Chat" icons are plain links. */
function hostPage(productUrl: string, links: Record<string, string>): string {
  const anchors = Object.entries(links)
    .map(([name, query]) => `<p><a href="${productUrl}/staff/open?${query}">${name}</a></p>`)
    .join("");
  return `data:text/html,${encodeURIComponent(`<!doctype html><title>Host EHR</title><main>${anchors}</main>`)}`;
}

describe("INTEG-3: deep links from the host system into the right conversation", () => {
  let product: TestProduct;
  let browser: Browser;
  let owner: ReturnType<typeof connectPostgres>;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });
  beforeAll(async () => {
    owner = connectPostgres(product.product.ownerUrl, { max: 1 });
  });
  afterAll(async () => {
    await owner?.destroy();
  });

  it("INTEG-1 INTEG-3 START-1: a credential made on the Integrations page feeds an appointment; the host's links open the patient's chat, after sign-in when needed", async () => {
    const alex = product.person("Alex Morgan");
    const elena = product.person("Elena Garcia");
    // The clinic's records already carry the host's id for Elena (ADMIN-3).
    await sql`update patients set host_id = 'MRN-1001' where id = ${elena.personId}`.execute(owner);

    const admin = await newPerson(browser, product.url);
    await signInStaff(admin.page, alex, authenticator);
    await admin.page.getByRole("link", { name: "Integrations" }).click();
    await admin.page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
    await expectAccessible(admin.page, "Integrations page, no credentials");
    await admin.page.getByLabel("Name").fill("Front office system");
    await admin.page.getByRole("button", { name: "Create credential" }).click();
    const clientId = (await admin.page.getByTestId("client-id").textContent()) ?? "";
    const clientSecret = (await admin.page.getByTestId("client-secret").textContent()) ?? "";
    await admin.page.getByRole("cell", { name: "Front office system", exact: true }).waitFor();
    await expectAccessible(admin.page, "Integrations page, a new credential's secret shown once");
    await shoot(admin.page, "integrations-new-credential");
    await admin.page.getByRole("button", { name: "I have copied it" }).click();
    expect(await admin.page.getByTestId("client-secret").count()).toBe(0);

    // The host system: a bearer token by client credentials, then an appointment for Elena.
    const token = await fetch(`${product.url}/fhir/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
      }),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const put = (path: string, resource: unknown) =>
      fetch(`${product.url}/fhir/R4/${path}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${access_token}`, "content-type": "application/fhir+json" },
        body: JSON.stringify(resource),
      });
    const practitioner = await put("Practitioner?identifier=urn:host:staff|S-9", {
      resourceType: "Practitioner",
      identifier: [{ system: "urn:host:staff", value: "S-9" }],
      name: [{ given: ["Hostia"], family: "Linker" }],
      telecom: [{ system: "email", value: "hostia.linker@example.test" }],
    });
    expect(practitioner.status).toBe(201);
    const start = new Date(Date.now() + 3 * 86_400_000);
    const appointment = await put("Appointment?identifier=urn:host:appointment|APT-77", {
      resourceType: "Appointment",
      identifier: [{ system: "urn:host:appointment", value: "APT-77" }],
      status: "booked",
      start: start.toISOString(),
      end: new Date(start.getTime() + 1_800_000).toISOString(),
      participant: [
        { actor: { type: "Patient", identifier: { system: "urn:host:mrn", value: "MRN-1001" } } },
        { actor: { reference: "Practitioner?identifier=urn:host:staff|S-9" } },
      ],
    });
    expect(appointment.status).toBe(201);
    await admin.page.reload();
    await expect.poll(() => admin.page.getByRole("cell", { name: "Never" }).count()).toBe(0);

    // Signed in: the host's patient link lands in Elena's conversation (START-1: opened, not created twice).
    const links = hostPage(product.url, {
      "Chat with the patient": "patient=urn%3Ahost%3Amrn%7CMRN-1001",
      "Chat about the appointment": "appointment=urn%3Ahost%3Aappointment%7CAPT-77",
      "Chat with someone unknown": "patient=urn%3Ahost%3Amrn%7CMRN-0000",
    });
    await admin.page.goto(links);
    await admin.page.getByRole("link", { name: "Chat with the patient" }).click();
    await admin.page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    const conversationId = conversationIdOf(admin.page);
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    await expectAccessible(admin.page, "conversation opened from a deep link");

    // An unknown id answers like any unknown link (ELIG-5).
    await admin.page.goto(links);
    await admin.page.getByRole("link", { name: "Chat with someone unknown" }).click();
    await admin.page.getByRole("link", { name: "Go to Chat" }).waitFor();
    expect(new URL(admin.page.url()).pathname).toBe("/staff/open");

    // Not signed in: the appointment link goes through sign-in, then to the same conversation.
    const colleague = await newPerson(browser, product.url);
    await colleague.page.goto(links);
    await colleague.page.getByRole("link", { name: "Chat about the appointment" }).click();
    await colleague.page.waitForURL((url) => url.pathname === "/staff/sign-in");
    expect(new URL(colleague.page.url()).searchParams.get("next")).toMatch(/^\/staff\/open\?appointment=/);
    await colleague.page.getByLabel("Email").fill(alex.email);
    await colleague.page.getByLabel("Password").fill(password);
    await colleague.page.getByRole("button", { name: "Sign in" }).click();
    await colleague.page.getByLabel("Authentication code").fill(await authenticator.code(alex.email));
    await colleague.page.getByRole("button", { name: "Continue" }).click();
    await colleague.page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    expect(conversationIdOf(colleague.page)).toBe(conversationId);
    await shoot(colleague.page, "deep-link-after-sign-in");
  }, 240_000);
});
