import type { Appointment } from "@clinic-chat/domain";
import { describe, expect, it } from "vitest";
import { appointments } from "../../src/postgres/appointments";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { at, newId, seedWorld } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

describe("appointments", () => {
  it("stores appointments and lists them by time, practitioner and patient (Appointment Details)", async () => {
    const world = await seedWorld(pg.factory);
    const db = pg.database().app;
    const make = (minute: number, practitionerId = world.practitioner.id): Appointment => ({
      id: newId("appt"),
      clinicId: world.clinic.id,
      patientId: world.patient.id,
      practitionerId,
      startsAt: at(minute),
      endsAt: at(minute + 30),
      status: "scheduled",
    });
    const morning = make(0);
    const noon = make(180, world.colleague.id);
    const evening = make(480);
    await withClinic(db, world.clinic.id, async (trx) => {
      for (const a of [evening, morning, noon]) await appointments.save(trx, a);
      await appointments.save(trx, { ...noon, status: "cancelled" });
    });
    await withClinic(db, world.clinic.id, async (trx) => {
      expect(await appointments.get(trx, world.clinic.id, morning.id)).toEqual(morning);
      const day = await appointments.between(trx, world.clinic.id, { from: at(0), to: at(600), limit: 10 });
      expect(day.map((a) => a.id)).toEqual([morning.id, noon.id, evening.id]);
      expect(day[1]?.status).toBe("cancelled");
      const mine = await appointments.between(trx, world.clinic.id, {
        from: at(0),
        to: at(600),
        practitionerId: world.practitioner.id,
        limit: 10,
      });
      expect(mine.map((a) => a.id)).toEqual([morning.id, evening.id]);
      expect(
        (await appointments.forPatient(trx, world.clinic.id, world.patient.id, 2)).map((a) => a.id),
      ).toEqual([evening.id, noon.id]);
    });
  });

  it("ELIG-5: another clinic's appointment reads as missing", async () => {
    const world = await seedWorld(pg.factory);
    const db = pg.database().app;
    const appointment: Appointment = {
      id: newId("appt"),
      clinicId: world.clinic.id,
      patientId: world.patient.id,
      practitionerId: world.practitioner.id,
      startsAt: at(0),
      endsAt: at(30),
      status: "scheduled",
    };
    await withClinic(db, world.clinic.id, (trx) => appointments.save(trx, appointment));
    await withClinic(db, world.otherClinic.id, async (trx) => {
      expect(await appointments.get(trx, world.otherClinic.id, appointment.id)).toBeNull();
      expect(await appointments.get(trx, world.clinic.id, appointment.id)).toBeNull();
      expect(await appointments.forPatient(trx, world.clinic.id, world.patient.id, 10)).toEqual([]);
    });
  });
});
