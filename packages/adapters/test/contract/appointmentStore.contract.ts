import type { Appointment } from "@clinic-chat/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { at, newId, seedWorld, type UnitOfWorkFactory, type World } from "./fixtures";

/** AppointmentStore: the appointment list and Appointment Details (START-1 entry point 2), within one clinic (ELIG-5). */
export function appointmentStoreContract(factory: UnitOfWorkFactory): void {
  describe("AppointmentStore", () => {
    let world: World;
    const appointment = (
      minutes: number,
      patientId: string,
      extra: Partial<Appointment> = {},
    ): Appointment => ({
      id: newId("appt"),
      clinicId: world.clinic.id,
      patientId,
      practitionerId: world.practitioner.id,
      startsAt: at(minutes),
      endsAt: at(minutes + 30),
      status: "scheduled",
      ...extra,
    });
    beforeEach(async () => {
      world = await seedWorld(factory);
    });

    it("reads back, lists a range earliest first, and a patient's latest first", async () => {
      const first = appointment(60, world.patient.id);
      const second = appointment(120, world.otherPatient.id);
      const third = appointment(180, world.patient.id, { status: "completed" });
      await world.run(async (s) => {
        for (const a of [third, first, second]) await s.appointments.save(a);
      });
      await world.run(async (s) => {
        expect(await s.appointments.get(first.id)).toEqual(first);
        expect(await s.appointments.between({ from: at(60), to: at(180), limit: 10 })).toEqual([
          first,
          second,
        ]);
        expect(await s.appointments.between({ from: at(0), to: at(999), limit: 1 })).toEqual([first]);
        expect(await s.appointments.forPatient(world.patient.id, 10)).toEqual([third, first]);
      });
      const moved = { ...first, startsAt: at(300), endsAt: at(330), status: "cancelled" as const };
      await world.run((s) => s.appointments.save(moved));
      expect(await world.run((s) => s.appointments.get(first.id))).toEqual(moved);
    });

    it("ADMIN-4: a change replaces a scheduled appointment only while it is still scheduled", async () => {
      const booked = appointment(60, world.patient.id);
      await world.run((s) => s.appointments.save(booked));
      const moved = { ...booked, startsAt: at(120), endsAt: at(150) };
      expect(await world.run((s) => s.appointments.changeScheduled(moved))).toBe(true);
      expect(await world.run((s) => s.appointments.get(booked.id))).toEqual(moved);
      const cancelled = { ...moved, status: "cancelled" as const };
      expect(await world.run((s) => s.appointments.changeScheduled(cancelled))).toBe(true);
      // Once cancelled, a late move (read before the cancellation) changes nothing.
      expect(await world.run((s) => s.appointments.changeScheduled({ ...moved, startsAt: at(200) }))).toBe(
        false,
      );
      expect(await world.run((s) => s.appointments.get(booked.id))).toEqual(cancelled);
      const unknown = appointment(60, world.patient.id);
      expect(await world.run((s) => s.appointments.changeScheduled(unknown))).toBe(false);
      expect(await world.run((s) => s.appointments.get(unknown.id))).toBeNull();
    });

    it("ELIG-5: another clinic's appointments read as missing and cannot be written through this clinic", async () => {
      const mine = appointment(60, world.patient.id);
      await world.run((s) => s.appointments.save(mine));
      await world.runOther(async (s) => {
        expect(await s.appointments.get(mine.id)).toBeNull();
        expect(await s.appointments.between({ from: at(0), to: at(999), limit: 10 })).toEqual([]);
        expect(await s.appointments.forPatient(world.patient.id, 10)).toEqual([]);
      });
      await expect(
        world.runOther((s) => s.appointments.save({ ...mine, id: newId("appt") })),
      ).rejects.toThrow();
      expect(
        await world.runOther((s) => s.appointments.changeScheduled({ ...mine, status: "cancelled" })),
      ).toBe(false);
      expect(await world.run((s) => s.appointments.get(mine.id))).toEqual(mine);
    });
  });
}
