import type { AppointmentStore } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import { appointments } from "./appointments";
import type { Database } from "./Database";

/** The domain's appointment book on the `appointments` table of the unit of work's clinic. */
export function postgresAppointmentStore(db: Kysely<Database>, clinicId: string): AppointmentStore {
  return {
    get: (id) => appointments.get(db, clinicId, id),
    save: (appointment) => appointments.save(db, appointment),
    changeScheduled: (appointment) => appointments.changeScheduled(db, clinicId, appointment),
    between: (range) => appointments.between(db, clinicId, range),
    forPatient: (patientId, limit) => appointments.forPatient(db, clinicId, patientId, limit),
    nextFor: (patientId, from) => appointments.nextFor(db, clinicId, patientId, from),
  };
}
