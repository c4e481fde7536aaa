import type { ApiCredential, IntegrationStore } from "@clinic-chat/domain/integration";
import { type Kysely, type Selectable, sql } from "kysely";
import { toAppointment } from "./appointments";
import type { Database } from "./Database";
import { toStaff } from "./directory";
import type { ApiCredentialsTable } from "./integrationTables";

function toCredential(row: Selectable<ApiCredentialsTable>): ApiCredential {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    name: row.name,
    secretDigest: row.secret_digest.toString("hex"),
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** INTEG-1 and INTEG-2 on the tables of the unit of work's clinic: credentials and the host's ids. */
export function postgresIntegrationStore(db: Kysely<Database>, clinicId: string): IntegrationStore {
  const credentials = () => db.selectFrom("api_credentials").selectAll().where("clinic_id", "=", clinicId);
  return {
    async addCredential(credential) {
      await db
        .insertInto("api_credentials")
        .values({
          clinic_id: credential.clinicId,
          id: credential.id,
          name: credential.name,
          secret_digest: Buffer.from(credential.secretDigest, "hex"),
          created_at: credential.createdAt,
          created_by: credential.createdBy,
          last_used_at: credential.lastUsedAt,
          revoked_at: credential.revokedAt,
        })
        .execute();
    },
    async credentials() {
      const rows = await credentials().orderBy("created_at", "desc").orderBy("id", "desc").execute();
      return rows.map(toCredential);
    },
    async credential(id) {
      const row = await credentials().where("id", "=", id).executeTakeFirst();
      return row ? toCredential(row) : null;
    },
    async markCredentialUsed(id, at) {
      await db
        .updateTable("api_credentials")
        .set({ last_used_at: at })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .execute();
    },
    async countCall(id, windowStart) {
      // One statement: the row's lock orders concurrent calls of every API process.
      const row = await db
        .updateTable("api_credentials")
        .set({
          calls_in_window: sql<number>`case when calls_window_start = ${windowStart} then calls_in_window + 1 else 1 end`,
          calls_window_start: windowStart,
        })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .returning("calls_in_window")
        .executeTakeFirst();
      return row?.calls_in_window ?? 0;
    },
    async revokeCredential(id, at) {
      await db
        .updateTable("api_credentials")
        .set({ revoked_at: at })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .execute();
    },
    async staffByHostIds(hostIds) {
      if (hostIds.length === 0) return [];
      const rows = await db
        .selectFrom("staff")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("host_id", "=", sql<string>`any(${[...hostIds]}::text[])`)
        .execute();
      return rows.map(toStaff);
    },
    async appointmentsByHostIds(hostIds) {
      if (hostIds.length === 0) return [];
      const rows = await db
        .selectFrom("appointments")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("host_id", "=", sql<string>`any(${[...hostIds]}::text[])`)
        .execute();
      return rows.map(toAppointment);
    },
    async saveAppointments(list) {
      // One statement per slice: PostgreSQL takes at most 65,535 parameters, and an appointment has 8.
      for (let start = 0; start < list.length; start += 5000) {
        const slice = list.slice(start, start + 5000);
        await db
          .insertInto("appointments")
          .values(
            slice.map((a) => ({
              clinic_id: a.clinicId,
              id: a.id,
              patient_id: a.patientId,
              practitioner_id: a.practitionerId,
              starts_at: a.startsAt,
              ends_at: a.endsAt,
              status: a.status,
              host_id: a.hostId ?? null,
            })),
          )
          .onConflict((oc) =>
            oc.columns(["clinic_id", "id"]).doUpdateSet((eb) => ({
              patient_id: eb.ref("excluded.patient_id"),
              practitioner_id: eb.ref("excluded.practitioner_id"),
              starts_at: eb.ref("excluded.starts_at"),
              ends_at: eb.ref("excluded.ends_at"),
              status: eb.ref("excluded.status"),
              host_id: eb.ref("excluded.host_id"),
            })),
          )
          .execute();
      }
    },
  };
}
