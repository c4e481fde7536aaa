import type { NotificationDelivery, NotificationStore } from "@clinic-chat/domain";
import type { Selectable } from "kysely";
import type { NotificationDeliveriesTable } from "./Database";
import { personOf } from "./people";
import type { Statements } from "./Statements";

function toDelivery(row: Selectable<NotificationDeliveriesTable>): NotificationDelivery {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    burstId: row.burst_id,
    recipient: personOf(row.person_kind, row.person_id),
    channel: row.channel,
    to: row.to_address,
    payload: {
      subject: row.payload.subject,
      text: row.payload.text,
      clinicName: row.payload.clinicName,
      link: row.payload.link,
    },
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

/** The delivery outbox of the clinic: one row per message a notification sends. */
export function postgresNotificationDeliveries(
  statements: Statements,
  clinicId: string,
): Pick<NotificationStore, "addDeliveries" | "undelivered" | "markDelivered"> {
  const { db } = statements;
  return {
    async addDeliveries(deliveries) {
      if (deliveries.length === 0) return;
      await db
        .insertInto("notification_deliveries")
        .values(
          deliveries.map((d) => ({
            clinic_id: d.clinicId,
            id: d.id,
            burst_id: d.burstId,
            person_kind: d.recipient.kind,
            person_id: d.recipient.id,
            channel: d.channel,
            to_address: d.to,
            payload: {
              subject: d.payload.subject,
              text: d.payload.text,
              clinicName: d.payload.clinicName,
              link: d.payload.link,
            },
            created_at: d.createdAt,
            delivered_at: d.deliveredAt,
          })),
        )
        .execute();
    },
    async undelivered(burstId) {
      const rows = await db
        .selectFrom("notification_deliveries")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("burst_id", "=", burstId)
        .where("delivered_at", "is", null)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toDelivery);
    },
    async markDelivered(deliveryId, at) {
      await db
        .updateTable("notification_deliveries")
        .set({ delivered_at: at })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", deliveryId)
        .execute();
    },
  };
}
