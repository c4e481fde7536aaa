import { beforeEach, describe, expect, it } from "vitest";
import { appointmentMinutes } from "../../src/appointments/bookAppointments";
import {
  allPatientNames,
  auditTrail,
  createWorld,
  dumpWithoutAudit,
  lastAudit,
  refused,
  startOfScenario,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

const minutes = (n: number) => new Date(startOfScenario.getTime() + n * 60_000);
const ids = (w: World) => ({
  patientId: w.a.patient.person.id,
  practitionerId: w.a.practitioner.person.id,
});

describe("ADMIN-4: staff book, move and cancel appointments", () => {
  it("books, moves and cancels; each is audited with ids only (SEC-3) and shows in the list", async () => {
    const { a, chat } = world;
    const booked = await chat.bookAppointment(a.frontDesk, {
      ...ids(world),
      startsAt: minutes(60),
      endsAt: minutes(90),
    });
    expect(booked).toMatchObject({
      startsAt: minutes(60),
      endsAt: minutes(90),
      status: "scheduled",
      patient: { id: a.patient.person.id },
      practitioner: { id: a.practitioner.person.id },
    });
    expect(await lastAudit(world, a.clinicId)).toMatchObject({
      action: "appointment.create",
      actor: a.frontDesk.person,
      subject: a.patient.person,
      outcome: "success",
    });

    const moved = await chat.moveAppointment(a.practitioner, {
      appointmentId: booked.id,
      startsAt: minutes(120),
      endsAt: minutes(165),
    });
    expect(moved).toMatchObject({ id: booked.id, startsAt: minutes(120), endsAt: minutes(165) });
    expect(await lastAudit(world, a.clinicId)).toMatchObject({
      action: "appointment.move",
      outcome: "success",
    });

    const cancelled = await chat.cancelAppointment(a.admin, { appointmentId: booked.id });
    expect(cancelled.status).toBe("cancelled");
    expect(await lastAudit(world, a.clinicId)).toMatchObject({
      action: "appointment.cancel",
      subject: a.patient.person,
    });
    const list = await chat.listAppointments(a.frontDesk, { from: minutes(0), to: minutes(600), limit: 10 });
    expect(list.map((v) => [v.id, v.status, v.startsAt])).toEqual([[booked.id, "cancelled", minutes(120)]]);
    const trail = JSON.stringify(await auditTrail(world, a.clinicId));
    for (const name of allPatientNames) expect(trail).not.toContain(name);
  });

  it("moves to another practitioner of the clinic", async () => {
    const { a, chat } = world;
    const booked = await chat.bookAppointment(a.frontDesk, {
      ...ids(world),
      startsAt: minutes(60),
      endsAt: minutes(90),
    });
    const moved = await chat.moveAppointment(a.frontDesk, {
      appointmentId: booked.id,
      practitionerId: a.unavailablePractitioner.person.id,
      startsAt: minutes(60),
      endsAt: minutes(90),
    });
    expect(moved.practitioner.id).toBe(a.unavailablePractitioner.person.id);
  });

  it("refuses bad times and people, writes nothing and audits the refusal", async () => {
    const { a, b, chat } = world;
    const before = dumpWithoutAudit(world);
    const book = (change: Record<string, unknown>) =>
      chat.bookAppointment(a.frontDesk, {
        ...ids(world),
        startsAt: minutes(60),
        endsAt: minutes(90),
        ...change,
      });
    const field = async (change: Record<string, unknown>) =>
      (await refused(book(change), "INVALID_INPUT")).details.field;
    expect(await field({ endsAt: minutes(60) })).toBe("endsAt");
    expect(await field({ endsAt: minutes(30) })).toBe("endsAt");
    expect(await field({ endsAt: minutes(60 + appointmentMinutes.min - 1) })).toBe("endsAt");
    expect(await field({ endsAt: minutes(60 + appointmentMinutes.max + 1) })).toBe("endsAt");
    expect(await field({ startsAt: minutes(-3 * 24 * 60), endsAt: minutes(-3 * 24 * 60 + 30) })).toBe(
      "startsAt",
    );
    expect(
      await field({ startsAt: minutes(3 * 366 * 24 * 60), endsAt: minutes(3 * 366 * 24 * 60 + 30) }),
    ).toBe("startsAt");
    expect(await field({ startsAt: new Date(Number.NaN) })).toBe("startsAt");
    // Only active practitioners see patients.
    expect(await field({ practitionerId: a.frontDesk.person.id })).toBe("practitionerId");
    expect(await field({ practitionerId: a.deactivated.person.id })).toBe("practitionerId");
    // ELIG-5: another clinic's patient or practitioner is unknown here, like an id of nobody.
    await refused(book({ patientId: b.patient.person.id }), "NOT_FOUND");
    await refused(book({ patientId: "nobody" }), "NOT_FOUND");
    await refused(book({ practitionerId: b.practitioner.person.id }), "NOT_FOUND");
    await refused(book({ practitionerId: a.patient.person.id }), "NOT_FOUND");
    expect(dumpWithoutAudit(world)).toBe(before);
    expect(await lastAudit(world, a.clinicId)).toMatchObject({
      action: "appointment.create",
      outcome: "denied",
      reason: "NOT_FOUND",
    });
  });

  it("patients, deactivated staff and another clinic's staff cannot book, move or cancel (ELIG-5, ELIG-6)", async () => {
    const { a, b, chat } = world;
    const booked = await chat.bookAppointment(a.frontDesk, {
      ...ids(world),
      startsAt: minutes(60),
      endsAt: minutes(90),
    });
    const times = { startsAt: minutes(60), endsAt: minutes(90) };
    await refused(chat.bookAppointment(a.patient, { ...ids(world), ...times }), "FORBIDDEN");
    await refused(chat.bookAppointment(a.deactivated, { ...ids(world), ...times }), "STAFF_INACTIVE");
    await refused(chat.moveAppointment(a.patient, { appointmentId: booked.id, ...times }), "FORBIDDEN");
    await refused(chat.cancelAppointment(a.deactivated, { appointmentId: booked.id }), "STAFF_INACTIVE");
    await refused(chat.moveAppointment(b.frontDesk, { appointmentId: booked.id, ...times }), "NOT_FOUND");
    await refused(chat.cancelAppointment(b.admin, { appointmentId: booked.id }), "NOT_FOUND");
    expect((await chat.appointmentDetails(a.frontDesk, { appointmentId: booked.id })).status).toBe(
      "scheduled",
    );
  });

  it("a cancelled appointment can be neither moved nor cancelled again (CONFLICT)", async () => {
    const { a, chat } = world;
    const booked = await chat.bookAppointment(a.frontDesk, {
      ...ids(world),
      startsAt: minutes(60),
      endsAt: minutes(90),
    });
    await chat.cancelAppointment(a.frontDesk, { appointmentId: booked.id });
    await refused(chat.cancelAppointment(a.frontDesk, { appointmentId: booked.id }), "CONFLICT");
    await refused(
      chat.moveAppointment(a.frontDesk, {
        appointmentId: booked.id,
        startsAt: minutes(60),
        endsAt: minutes(90),
      }),
      "CONFLICT",
    );
  });

  it("a move is checked like a booking: bad times refused, the appointment unchanged", async () => {
    const { a, chat } = world;
    const booked = await chat.bookAppointment(a.frontDesk, {
      ...ids(world),
      startsAt: minutes(60),
      endsAt: minutes(90),
    });
    await refused(
      chat.moveAppointment(a.frontDesk, {
        appointmentId: booked.id,
        startsAt: minutes(90),
        endsAt: minutes(60),
      }),
      "INVALID_INPUT",
    );
    await refused(
      chat.moveAppointment(a.frontDesk, {
        appointmentId: booked.id,
        practitionerId: a.frontDesk.person.id,
        startsAt: minutes(60),
        endsAt: minutes(90),
      }),
      "INVALID_INPUT",
    );
    expect(await chat.appointmentDetails(a.frontDesk, { appointmentId: booked.id })).toMatchObject({
      startsAt: minutes(60),
      endsAt: minutes(90),
      practitioner: { id: a.practitioner.person.id },
    });
  });
});
