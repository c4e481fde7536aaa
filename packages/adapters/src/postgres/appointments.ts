import type { Appointment } from "@clinic-chat/domain";
import type { Kysely, Selectable } from "kysely";
import type { AppointmentsTable, Database } from "./Database";

export function toAppointment(row: Selectable<AppointmentsTable>): Appointment {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    patientId: row.patient_id,
    practitionerId: row.practitioner_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    ...(row.host_id !== null && { hostId: row.host_id }),
  };
}

/** Appointment rows of one clinic: call these inside {@link withClinic} so RLS sees the clinic. */
export const appointments = {
  /** Adds an appointment, or replaces the one with the same id. */
  async save(db: Kysely<Database>, appointment: Appointment): Promise<void> {
    const columns = {
      patient_id: appointment.patientId,
      practitioner_id: appointment.practitionerId,
      starts_at: appointment.startsAt,
      ends_at: appointment.endsAt,
      status: appointment.status,
      host_id: appointment.hostId ?? null,
    };
    await db
      .insertInto("appointments")
      .values({ clinic_id: appointment.clinicId, id: appointment.id, ...columns })
      .onConflict((oc) => oc.columns(["clinic_id", "id"]).doUpdateSet(columns))
      .execute();
  },

  /** Replaces a scheduled appointment in one statement; false when it is not scheduled (any more). */
  async changeScheduled(db: Kysely<Database>, clinicId: string, appointment: Appointment): Promise<boolean> {
    if (appointment.clinicId !== clinicId) return false;
    const result = await db
      .updateTable("appointments")
      .set({
        patient_id: appointment.patientId,
        practitioner_id: appointment.practitionerId,
        starts_at: appointment.startsAt,
        ends_at: appointment.endsAt,
        status: appointment.status,
      })
      .where("clinic_id", "=", clinicId)
      .where("id", "=", appointment.id)
      .where("status", "=", "scheduled")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /** One appointment, or null when unknown in this clinic (ELIG-5). */
  async get(db: Kysely<Database>, clinicId: string, id: string): Promise<Appointment | null> {
    const row = await db
      .selectFrom("appointments")
      .selectAll()
      .where("clinic_id", "=", clinicId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toAppointment(row) : null;
  },

  /** Appointments starting in [from, to), earliest first, optionally of one practitioner. */
  async between(
    db: Kysely<Database>,
    clinicId: string,
    range: { from: Date; to: Date; practitionerId?: string | null; limit: number },
  ): Promise<Appointment[]> {
    let select = db
      .selectFrom("appointments")
      .selectAll()
      .where("clinic_id", "=", clinicId)
      .where("starts_at", ">=", range.from)
      .where("starts_at", "<", range.to);
    if (range.practitionerId) select = select.where("practitioner_id", "=", range.practitionerId);
    const rows = await select.orderBy("starts_at").orderBy("id").limit(range.limit).execute();
    return rows.map(toAppointment);
  },

  /** A patient's appointments, latest first (the Patient File). */
  async forPatient(
    db: Kysely<Database>,
    clinicId: string,
    patientId: string,
    limit: number,
  ): Promise<Appointment[]> {
    const rows = await db
      .selectFrom("appointments")
      .selectAll()
      .where("clinic_id", "=", clinicId)
      .where("patient_id", "=", patientId)
      .orderBy("starts_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map(toAppointment);
  },

  /** The patient's first scheduled appointment starting at or after `from` (TPL-1). */
  async nextFor(
    db: Kysely<Database>,
    clinicId: string,
    patientId: string,
    from: Date,
  ): Promise<Appointment | null> {
    const row = await db
      .selectFrom("appointments")
      .selectAll()
      .where("clinic_id", "=", clinicId)
      .where("patient_id", "=", patientId)
      .where("status", "=", "scheduled")
      .where("starts_at", ">=", from)
      .orderBy("starts_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    return row ? toAppointment(row) : null;
  },
};
