import { beforeEach, describe, expect, it } from "vitest";
import {
  allPatientNames,
  auditTrail,
  createWorld,
  patientConversation,
  refused,
  startOfScenario,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

const minutes = (n: number) => new Date(startOfScenario.getTime() + n * 60_000);

describe("TPL-1 reply templates, clinic-wide and personal", () => {
  it("TPL-1: admins keep the clinic's templates; every staff member keeps their own and sees both", async () => {
    const { a, chat } = world;
    const clinic = await chat.saveTemplate(a.admin, {
      scope: "clinic",
      name: "Closed for weather",
      text: "Hi {patient first name}, {clinic name} is closed today.",
    });
    await refused(
      chat.saveTemplate(a.frontDesk, { scope: "clinic", name: "Mine now", text: "x" }),
      "FORBIDDEN",
    );
    const mine = await chat.saveTemplate(a.frontDesk, {
      scope: "personal",
      name: "  Lab   results ",
      text: "Ready.",
    });
    expect(mine).toMatchObject({ scope: "personal", name: "Lab results", editable: true });

    expect((await chat.listTemplates(a.frontDesk)).map((t) => [t.name, t.editable])).toEqual([
      ["Closed for weather", false],
      ["Lab results", true],
    ]);
    // Another staff member sees the clinic's, never someone else's own.
    expect((await chat.listTemplates(a.practitioner)).map((t) => t.name)).toEqual(["Closed for weather"]);
    await refused(chat.deleteTemplate(a.practitioner, { templateId: mine.id }), "NOT_FOUND");
    await refused(chat.deleteTemplate(a.frontDesk, { templateId: clinic.id }), "NOT_FOUND");
    // Patients have no templates, and another clinic sees none of these.
    await refused(chat.listTemplates(a.patient), "FORBIDDEN");
    expect(await chat.listTemplates(world.b.admin)).toEqual([]);

    await chat.saveTemplate(a.admin, {
      templateId: clinic.id,
      scope: "clinic",
      name: "Closed",
      text: "Closed.",
    });
    await chat.deleteTemplate(a.frontDesk, { templateId: mine.id });
    expect((await chat.listTemplates(a.frontDesk)).map((t) => [t.name, t.text])).toEqual([
      ["Closed", "Closed."],
    ]);
  });

  it("TPL-1: a template with a placeholder outside the fixed list, or blank, is refused", async () => {
    const { a, chat } = world;
    const error = await refused(
      chat.saveTemplate(a.admin, { scope: "clinic", name: "Bad", text: "Your {insurance id}" }),
      "INVALID_INPUT",
    );
    expect(error.details).toEqual({ field: "text", placeholder: "insurance id" });
    await refused(chat.saveTemplate(a.admin, { scope: "clinic", name: " ", text: "x" }), "INVALID_INPUT");
    await refused(chat.saveTemplate(a.admin, { scope: "clinic", name: "x", text: " \n" }), "INVALID_INPUT");
    expect(await chat.listTemplates(a.admin)).toEqual([]);
  });

  it("TPL-1: filled on insert from the conversation's patient, the author, the clinic and the next appointment", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.frontDesk, a.patient);
    const template = await chat.saveTemplate(a.admin, {
      scope: "clinic",
      name: "Reminder",
      text: "Hi {patient first name}, this is {author name} at {clinic name}: see you {next appointment date} at {next appointment time} with {next appointment practitioner}.",
    });
    // No appointment yet: those values are missing and stay marked.
    const before = await chat.fillTemplate(a.frontDesk, { conversationId, templateId: template.id });
    expect(before.text).toBe(
      "Hi Harriet, this is Sam Fischer at Lakeside Clinic: see you [next appointment date] at [next appointment time] with [next appointment practitioner].",
    );
    expect(before.missing).toEqual([
      "[next appointment date]",
      "[next appointment time]",
      "[next appointment practitioner]",
    ]);

    // A past and a cancelled appointment do not count; the first scheduled one ahead does.
    const patientId = a.patient.person.id;
    const practitionerId = a.practitioner.person.id;
    await chat.bookAppointment(a.frontDesk, {
      patientId,
      practitionerId,
      startsAt: minutes(-30),
      endsAt: minutes(-10),
    });
    const cancelled = await chat.bookAppointment(a.frontDesk, {
      patientId,
      practitionerId,
      startsAt: minutes(60),
      endsAt: minutes(90),
    });
    await chat.cancelAppointment(a.frontDesk, { appointmentId: cancelled.id });
    await chat.bookAppointment(a.frontDesk, {
      patientId,
      practitionerId,
      startsAt: minutes(24 * 60 + 30),
      endsAt: minutes(24 * 60 + 60),
    });
    const after = await chat.fillTemplate(a.frontDesk, { conversationId, templateId: template.id });
    expect(after).toEqual({
      text: "Hi Harriet, this is Sam Fischer at Lakeside Clinic: see you Tuesday, January 8, 2030 at 9:30 AM with Priya Raman.",
      missing: [],
    });

    // SEC-3: the fill is audited by ids; the filled text (PHI) is in no record.
    const trail = await auditTrail(world, a.clinicId);
    expect(trail.filter((e) => e.action === "template.fill")).toEqual([
      expect.objectContaining({ outcome: "success", conversationId, actor: a.frontDesk.person }),
      expect.objectContaining({ outcome: "success", conversationId, actor: a.frontDesk.person }),
    ]);
    for (const name of allPatientNames) expect(JSON.stringify(trail)).not.toContain(name.split(" ")[0]);
  });

  it("TPL-1: only a staff member in the conversation fills a template for it, and only one they may use", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.frontDesk, a.patient);
    const own = await chat.saveTemplate(a.practitioner, { scope: "personal", name: "Mine", text: "Hi" });
    await refused(chat.fillTemplate(a.frontDesk, { conversationId, templateId: own.id }), "NOT_FOUND");
    const clinic = await chat.saveTemplate(a.admin, { scope: "clinic", name: "All", text: "Hi" });
    await refused(chat.fillTemplate(a.practitioner, { conversationId, templateId: clinic.id }), "NOT_FOUND");
    await refused(chat.fillTemplate(a.patient, { conversationId, templateId: clinic.id }), "FORBIDDEN");
  });
});
