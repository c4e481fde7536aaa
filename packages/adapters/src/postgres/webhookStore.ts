import type { PersonRef } from "@clinic-chat/domain";
import type { WebhookDelivery, WebhookEventFacts, WebhookStore } from "@clinic-chat/domain/webhooks";
import { columnsOf } from "./arrayParameters";
import type { Statements } from "./Statements";

/** Keeps `clinics.webhooks_active` true exactly while an enabled endpoint exists. */
const refreshActive = `
  update clinics set webhooks_active = exists (
    select 1 from webhook_endpoints where clinic_id = $1 and enabled)
  where id = $1`;

/**
 * One row per event and enabled endpoint, in the order given; an unread count is counted as
 * MSG-3 counts it (messages by others, not deleted, after the person's read marker), by this
 * statement, so it sees what the unit of work wrote before it.
 */
const recordSql = `
  insert into webhook_events (clinic_id, endpoint_id, id, conversation_id, type, person_kind, person_id,
    unread_count, assignee_id, occurred_at, next_attempt_at)
  select $1, e.id, gen_random_uuid()::text, d.conversation_id, d.type, d.person_kind, d.person_id,
    case when d.type = 'unread_count.changed' then (
      select count(*)::int from messages m
       where m.clinic_id = $1 and m.conversation_id = d.conversation_id and m.body_kind <> 'deleted'
         and not (m.sender_kind = d.person_kind and m.sender_id = d.person_id)
         and m.seq > coalesce((select p.read_up_to_seq from conversation_participants p
           where p.clinic_id = $1 and p.conversation_id = d.conversation_id
             and p.person_kind = d.person_kind and p.person_id = d.person_id), 0))
    end,
    d.assignee_id, d.at, d.at
  from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
         with ordinality as d(conversation_id, type, person_kind, person_id, assignee_id, at, ord)
  cross join webhook_endpoints e
  where e.clinic_id = $1 and e.enabled
  order by d.ord, e.id`;

/**
 * Each endpoint's oldest waiting event of the conversation, taken when it is due and not held;
 * the row locks keep two workers from taking the same one, and the hold outlasts the request.
 */
const takeSql = `
  with heads as (
    select distinct on (w.endpoint_id) w.endpoint_id, w.position
      from webhook_events w
     where w.clinic_id = $1 and w.conversation_id = $2 and w.status = 'pending'
     order by w.endpoint_id, w.position),
  taken as (
    select w.* from webhook_events w join heads h using (endpoint_id, position)
     where w.clinic_id = $1 and w.next_attempt_at <= $3 and (w.held_until is null or w.held_until <= $3)
       for update of w skip locked)
  update webhook_events w set held_until = $4
    from taken t, webhook_endpoints e
   where w.clinic_id = $1 and w.endpoint_id = t.endpoint_id and w.position = t.position
     and e.clinic_id = $1 and e.id = t.endpoint_id
  returning w.*, e.url, e.secret`;

type EventRow = {
  endpoint_id: string;
  position: string;
  id: string;
  conversation_id: string;
  type: WebhookEventFacts["type"];
  person_kind: PersonRef["kind"] | null;
  person_id: string | null;
  unread_count: number | null;
  assignee_id: string | null;
  occurred_at: Date;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  last_status_code: number | null;
  last_attempt_at: Date | null;
};

/** The webhooks of the unit of work's clinic on PostgreSQL (INTEG-4). */
export function postgresWebhookStore(statements: Statements, clinicId: string): WebhookStore {
  const facts = (row: EventRow): WebhookEventFacts => ({
    id: row.id,
    clinicId,
    type: row.type,
    conversationId: row.conversation_id,
    person:
      row.person_kind && row.person_id ? ({ kind: row.person_kind, id: row.person_id } as PersonRef) : null,
    unreadCount: row.unread_count,
    assigneeId: row.assignee_id,
    occurredAt: new Date(row.occurred_at),
  });
  return {
    async endpoints() {
      const rows = await statements.read<{ id: string; url: string; enabled: boolean; created_at: Date }>(
        `select id, url, enabled, created_at from webhook_endpoints where clinic_id = $1 order by created_at, id`,
        [clinicId],
      );
      return rows.map((r) => ({
        id: r.id,
        clinicId,
        url: r.url,
        enabled: r.enabled,
        createdAt: new Date(r.created_at),
      }));
    },
    async addEndpoint(endpoint, secret) {
      await statements.write(
        `insert into webhook_endpoints (clinic_id, id, url, secret, enabled, created_at) values ($1, $2, $3, $4, $5, $6)`,
        [clinicId, endpoint.id, endpoint.url, secret, endpoint.enabled, endpoint.createdAt],
      );
      await statements.write(refreshActive, [clinicId]);
    },
    async setEnabled(endpointId, enabled) {
      const rows = await statements.read<{ id: string }>(
        `update webhook_endpoints set enabled = $3 where clinic_id = $1 and id = $2 returning id`,
        [clinicId, endpointId, enabled],
      );
      await statements.write(refreshActive, [clinicId]);
      return rows.length > 0;
    },
    async removeEndpoint(endpointId) {
      const rows = await statements.read<{ id: string }>(
        `delete from webhook_endpoints where clinic_id = $1 and id = $2 returning id`,
        [clinicId, endpointId],
      );
      await statements.write(refreshActive, [clinicId]);
      return rows.length > 0;
    },
    async forgetSettled(keep) {
      const rows = await statements.read<{ position: string }>(
        `with ranked as (
           select endpoint_id, position,
             row_number() over (partition by endpoint_id order by position desc) as newest
           from webhook_events where clinic_id = $1)
         delete from webhook_events e using ranked r
         where e.clinic_id = $1 and e.endpoint_id = r.endpoint_id and e.position = r.position
           and r.newest > $2 and e.status <> 'pending'
         returning e.position`,
        [clinicId, keep],
      );
      return rows.length;
    },
    async deliveryLog(endpointId, limit) {
      const rows = await statements.read<EventRow>(
        `select * from webhook_events where clinic_id = $1 and endpoint_id = $2 order by position desc limit $3`,
        [clinicId, endpointId, limit],
      );
      return rows.map((r) => ({
        eventId: r.id,
        type: r.type,
        conversationId: r.conversation_id,
        status: r.status,
        attempts: r.attempts,
        lastStatusCode: r.last_status_code,
        createdAt: new Date(r.occurred_at),
        lastAttemptAt: r.last_attempt_at ? new Date(r.last_attempt_at) : null,
      }));
    },
    async record(events) {
      if (events.length === 0) return;
      const rows = events.map((e) => [
        e.conversationId,
        e.type,
        e.type === "unread_count.changed" ? e.person.kind : null,
        e.type === "unread_count.changed" ? e.person.id : null,
        e.type === "conversation.assigned" ? e.assigneeId : null,
        e.at,
      ]);
      await statements.write(recordSql, [clinicId, ...columnsOf(rows)]);
    },
    async takeNext(conversationId, now, holdUntil) {
      const rows = await statements.read<EventRow & { url: string; secret: string }>(takeSql, [
        clinicId,
        conversationId,
        now,
        holdUntil,
      ]);
      return rows
        .sort((a, b) => a.endpoint_id.localeCompare(b.endpoint_id))
        .map(
          (r): WebhookDelivery => ({
            event: facts(r),
            endpointId: r.endpoint_id,
            url: r.url,
            secret: r.secret,
            attempts: r.attempts,
          }),
        );
    },
    async nextDue(conversationId) {
      const [row] = await statements.read<{ due: Date | null }>(
        `select min(next_attempt_at) as due from (
           select distinct on (endpoint_id) next_attempt_at from webhook_events
            where clinic_id = $1 and conversation_id = $2 and status = 'pending'
            order by endpoint_id, position) heads`,
        [clinicId, conversationId],
      );
      return row?.due ? new Date(row.due) : null;
    },
    async recordAttempt(delivery, attempt) {
      const step = attempt.step;
      await statements.write(
        `update webhook_events
            set attempts = attempts + 1, last_status_code = $4, last_attempt_at = $5, held_until = null,
                status = $6, next_attempt_at = coalesce($7, next_attempt_at)
          where clinic_id = $1 and id = $3 and endpoint_id = $2`,
        [
          clinicId,
          delivery.endpointId,
          delivery.event.id,
          attempt.statusCode,
          attempt.at,
          step.status,
          step.status === "pending" ? step.nextAttemptAt : null,
        ],
      );
    },
  };
}
