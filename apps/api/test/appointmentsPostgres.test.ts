import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, type Browser, failure, startAuthApi } from "./support/authApi";
import { enrolStaff } from "./support/signInFlows";

// ADMIN-4 over real HTTP on real PostgreSQL: staff book, move and cancel; bad input changes no
// appointment row; each change leaves an audit record naming ids only (SEC-3).

let api: AuthApi;
let nurse: Browser;
beforeAll(async () => {
  api = await startAuthApi();
  nurse = api.browser();
  await enrolStaff(api, nurse, api.world.a.nurse);
});
afterAll(async () => {
  await api.close();
});

const at = (minutes: number) => new Date(api.clock.now().getTime() + minutes * 60_000).toISOString();

async function appointmentRows() {
  return api.owner
    .selectFrom("appointments")
    .select(["id", "patient_id", "practitioner_id", "starts_at", "ends_at", "status"])
    .orderBy("id")
    .execute();
}

async function auditOf(action: string) {
  return api.owner
    .selectFrom("audit_log")
    .select(["actor_id", "subject_id", "outcome"])
    .where("action", "=", action)
    .orderBy("id")
    .execute();
}

describe("ADMIN-4: appointments through the API", () => {
  it("ADMIN-4: a front-desk member books, moves and cancels; each audited with ids only", async () => {
    const { a } = api.world;
    const booked = await nurse.trpc.appointments.create.mutate({
      patientId: a.patient.id,
      practitionerId: a.doctor.id,
      startsAt: at(60),
      endsAt: at(90),
    });
    expect(booked).toMatchObject({ status: "scheduled", patient: { id: a.patient.id } });
    const moved = await nurse.trpc.appointments.move.mutate({
      appointmentId: booked.id,
      startsAt: at(120),
      endsAt: at(150),
    });
    expect(new Date(moved.startsAt).toISOString()).toBe(at(120));
    const cancelled = await nurse.trpc.appointments.cancel.mutate({ appointmentId: booked.id });
    expect(cancelled.status).toBe("cancelled");
    const stored = (await appointmentRows()).find((r) => r.id === booked.id);
    expect(stored).toMatchObject({ status: "cancelled", practitioner_id: a.doctor.id });
    expect(stored?.starts_at.toISOString()).toBe(at(120));
    for (const action of ["appointment.create", "appointment.move", "appointment.cancel"])
      expect(await auditOf(action)).toEqual([
        { actor_id: a.nurse.id, subject_id: a.patient.id, outcome: "success" },
      ]);
    const again = await failure(nurse.trpc.appointments.cancel.mutate({ appointmentId: booked.id }));
    expect(again).toMatchObject({ code: "CONFLICT", domainCode: "CONFLICT" });
  });

  it("ADMIN-4: times out of order, too short or long, long past or years ahead are refused and no appointment row changes", async () => {
    const { a } = api.world;
    const before = await appointmentRows();
    const badTimes = fc.oneof(
      // ends before or when it starts
      fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: -600, max: 0 })),
      // shorter than five minutes, or longer than twelve hours
      fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 4 })),
      fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 12 * 60 + 1, max: 100_000 })),
      // starts more than a day ago, or more than two years ahead
      fc.tuple(fc.integer({ min: -1_000_000, max: -24 * 60 - 1 }), fc.integer({ min: 5, max: 60 })),
      fc.tuple(fc.integer({ min: 2 * 366 * 24 * 60 + 1, max: 5_000_000 }), fc.integer({ min: 5, max: 60 })),
    );
    await fc.assert(
      fc.asyncProperty(badTimes, async ([start, length]) => {
        const answer = await failure(
          nurse.trpc.appointments.create.mutate({
            patientId: a.patient.id,
            practitionerId: a.doctor.id,
            startsAt: at(start),
            endsAt: at(start + length),
          }),
        );
        expect(answer).toMatchObject({ code: "BAD_REQUEST", domainCode: "INVALID_INPUT" });
      }),
      { numRuns: 40 },
    );
    const notADate = await failure(
      nurse.trpc.appointments.create.mutate({
        patientId: a.patient.id,
        practitionerId: a.doctor.id,
        startsAt: "tomorrow at ten",
        endsAt: at(30),
      }),
    );
    expect(notADate.code).toBe("BAD_REQUEST");
    // A front-desk member is not a practitioner; another clinic's practitioner is nobody here (ELIG-5).
    const notAPractitioner = await failure(
      nurse.trpc.appointments.create.mutate({
        patientId: a.patient.id,
        practitionerId: a.nurse.id,
        startsAt: at(60),
        endsAt: at(90),
      }),
    );
    expect(notAPractitioner.domainCode).toBe("INVALID_INPUT");
    const foreign = await failure(
      nurse.trpc.appointments.create.mutate({
        patientId: a.patient.id,
        practitionerId: api.world.b.doctor.id,
        startsAt: at(60),
        endsAt: at(90),
      }),
    );
    expect(foreign.domainCode).toBe("NOT_FOUND");
    expect(await appointmentRows()).toEqual(before);
  });

  it("ADMIN-4: a move racing a cancellation never brings the appointment back: it ends cancelled every time", async () => {
    const { a } = api.world;
    const other = api.browser();
    await enrolStaff(api, other, a.admin);
    for (let i = 0; i < 10; i++) {
      const booked = await nurse.trpc.appointments.create.mutate({
        patientId: a.patient.id,
        practitionerId: a.doctor.id,
        startsAt: at(60 + i),
        endsAt: at(90 + i),
      });
      const [moved, cancelled] = await Promise.allSettled([
        nurse.trpc.appointments.move.mutate({ appointmentId: booked.id, startsAt: at(200), endsAt: at(230) }),
        other.trpc.appointments.cancel.mutate({ appointmentId: booked.id }),
      ]);
      expect(cancelled.status).toBe("fulfilled");
      if (moved.status === "rejected")
        expect(moved.reason).toMatchObject({ data: { domainCode: "CONFLICT" } });
      const stored = (await appointmentRows()).find((r) => r.id === booked.id);
      expect(stored?.status).toBe("cancelled");
    }
  });
});
