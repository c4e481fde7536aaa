import type { Clinic, ClinicSettings, ClinicStore } from "@clinic-chat/domain";
import { type Kysely, type Selectable, sql } from "kysely";
import type { ClinicsTable, Database } from "./Database";

function settingsColumns(settings: ClinicSettings) {
  return {
    patient_chat_enabled: settings.patientChatEnabled,
    patient_file_sharing_enabled: settings.patientFileSharingEnabled,
    patient_messaging_enabled: settings.patientMessagingEnabled,
    team_chat_enabled: settings.teamChatEnabled,
    sms_notifications_enabled: settings.smsNotificationsEnabled,
    idle_timeout_minutes: settings.idleTimeoutMinutes,
    notification_delay_seconds: settings.notificationDelaySeconds,
  };
}

export function toClinic(row: Selectable<ClinicsTable>): Clinic {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    timeZone: row.time_zone,
    settings: {
      patientChatEnabled: row.patient_chat_enabled,
      patientFileSharingEnabled: row.patient_file_sharing_enabled,
      patientMessagingEnabled: row.patient_messaging_enabled,
      teamChatEnabled: row.team_chat_enabled,
      smsNotificationsEnabled: row.sms_notifications_enabled,
      idleTimeoutMinutes: row.idle_timeout_minutes,
      notificationDelaySeconds: row.notification_delay_seconds,
    },
    ...(row.office_hours ? { officeHours: row.office_hours } : {}),
    ...(row.webhooks_active ? { webhooksActive: true } : {}),
  };
}

/** The clinic of the unit of work; any other id reads as unknown (ELIG-5). */
export function postgresClinicStore(db: Kysely<Database>, clinicId: string): ClinicStore {
  return {
    async create(clinic) {
      await db
        .insertInto("clinics")
        .values({
          id: clinic.id,
          name: clinic.name,
          plan: clinic.plan,
          time_zone: clinic.timeZone,
          ...settingsColumns(clinic.settings),
        })
        .execute();
    },
    async get(id) {
      if (id !== clinicId) return null;
      const row = await db.selectFrom("clinics").selectAll().where("id", "=", clinicId).executeTakeFirst();
      return row ? toClinic(row) : null;
    },
    async saveSettings(id, settings) {
      if (id !== clinicId) return;
      await db.updateTable("clinics").set(settingsColumns(settings)).where("id", "=", clinicId).execute();
    },
    async savePlan(id, plan) {
      if (id !== clinicId) return;
      await db.updateTable("clinics").set({ plan }).where("id", "=", clinicId).execute();
    },
    async saveOfficeHours(id, hours) {
      if (id !== clinicId) return;
      await db
        .updateTable("clinics")
        // Sent as text and cast, so the driver's own JSON serialising cannot encode it twice.
        .set({ office_hours: sql<string>`cast(${JSON.stringify(hours)}::text as jsonb)` })
        .where("id", "=", clinicId)
        .execute();
    },
  };
}
