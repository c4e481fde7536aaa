import type { AppointmentStore } from "../../appointments/Appointment";
import type { ClinicView } from "./world";

/** Appointments of the unit of work's clinic. */
export function inMemoryAppointments(view: ClinicView): AppointmentStore {
  const { world, clinicId, inClinic } = view;
  return {
    async get(id) {
      return inClinic(world.appointments.get(id));
    },
    async save(appointment) {
      if (appointment.clinicId !== clinicId) throw new Error("appointment outside the unit of work's clinic");
      world.appointments.set(appointment.id, appointment);
    },
    async changeScheduled(appointment) {
      const stored = inClinic(world.appointments.get(appointment.id));
      if (appointment.clinicId !== clinicId || stored?.status !== "scheduled") return false;
      world.appointments.set(appointment.id, appointment);
      return true;
    },
    async between(range) {
      return [...world.appointments.values()]
        .filter((a) => a.clinicId === clinicId && a.startsAt >= range.from && a.startsAt < range.to)
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, range.limit);
    },
    async forPatient(patientId, limit) {
      return [...world.appointments.values()]
        .filter((a) => a.clinicId === clinicId && a.patientId === patientId)
        .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime() || (a.id < b.id ? 1 : -1))
        .slice(0, limit);
    },
    async nextFor(patientId, from) {
      return (
        [...world.appointments.values()]
          .filter(
            (a) =>
              a.clinicId === clinicId &&
              a.patientId === patientId &&
              a.status === "scheduled" &&
              a.startsAt >= from,
          )
          .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : 1))[0] ?? null
      );
    },
  };
}
