import {
  type NotificationState,
  type NotificationStore,
  type PersonRef,
  personKey,
} from "@clinic-chat/domain";
import type { Selectable } from "kysely";
import { columnsOf } from "./arrayParameters";
import type { NotificationStatesTable, PersonKind } from "./Database";
import { postgresNotificationDeliveries } from "./notificationDeliveries";
import { personOf } from "./people";
import type { Statements } from "./Statements";

export function toState(row: Selectable<NotificationStatesTable>): NotificationState {
  if (row.status === "pending" && row.burst_id !== null && row.due_at !== null) {
    return {
      status: "pending",
      burstId: row.burst_id,
      dueAt: row.due_at,
    };
  }
  return { status: "idle" };
}

function stateColumns(state: NotificationState) {
  return state.status === "pending"
    ? { status: "pending" as const, burst_id: state.burstId, due_at: state.dueAt }
    : { status: "idle" as const, burst_id: null, due_at: null };
}

/**
 * {@link NotificationStore.reserveStates} in one statement: the idle rows of those who have none go
 * in, and every row is locked and read back as it is now, in the order given (an upsert's update
 * waits for a concurrent one and sees its commit).
 */
const reserveStatesSql = `insert into notification_states (clinic_id, person_kind, person_id, status)
  select $1, w.kind, w.id, 'idle'
    from unnest($2::text[], $3::text[]) with ordinality as w(kind, id, n)
   order by w.n
  on conflict (clinic_id, person_kind, person_id) do update set status = notification_states.status
  returning *`;

/**
 * Saves a state, the row made if missing (a fixed statement: nothing to compile per send). The
 * messages of a burst that ended go with it: all of them when the recipient comes to rest, those of
 * any other burst when a new one starts (none, unless a state was damaged).
 */
const saveStateSql = `with ended as (
    delete from notification_burst_messages
     where clinic_id = $1 and person_kind = $2 and person_id = $3
       and ($4 = 'idle' or burst_id is distinct from $5)
  )
  insert into notification_states (clinic_id, person_kind, person_id, status, burst_id, due_at)
  values ($1, $2, $3, $4, $5, $6)
  on conflict (clinic_id, person_kind, person_id) do update
    set status = excluded.status, burst_id = excluded.burst_id, due_at = excluded.due_at`;

/** {@link NotificationStore.saveStates}: {@link saveStateSql} for every recipient in one statement. */
const saveStatesSql = `with ended as (
    delete from notification_burst_messages b
     using unnest($2::text[], $3::text[], $4::text[], $5::text[]) as s(person_kind, person_id, status, burst_id)
     where b.clinic_id = $1 and b.person_kind = s.person_kind and b.person_id = s.person_id
       and (s.status = 'idle' or b.burst_id is distinct from s.burst_id)
  )
  insert into notification_states (clinic_id, person_kind, person_id, status, burst_id, due_at)
  select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
  on conflict (clinic_id, person_kind, person_id) do update
    set status = excluded.status, burst_id = excluded.burst_id, due_at = excluded.due_at`;

/**
 * {@link NotificationStore.joinBurst}: one small row, whatever the burst holds already. A message
 * held already stays once; should a row of an ended burst have survived, it moves to this one.
 */
const joinBurstSql = `insert into notification_burst_messages as b
    (clinic_id, person_kind, person_id, burst_id, message_id, conversation_id, seq)
  values ($1, $2, $3, $4, $5, $6, $7)
  on conflict (clinic_id, person_kind, person_id, message_id) do update
    set burst_id = excluded.burst_id where b.burst_id <> excluded.burst_id`;

/** {@link NotificationStore.joinBursts}: {@link joinBurstSql} for every message in one statement. */
const joinBurstsSql = `insert into notification_burst_messages as b
    (clinic_id, person_kind, person_id, burst_id, message_id, conversation_id, seq)
  select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
  on conflict (clinic_id, person_kind, person_id, message_id) do update
    set burst_id = excluded.burst_id where b.burst_id <> excluded.burst_id`;

/**
 * {@link NotificationStore.leaveBurst}: the named messages (one id, or a conversation's up to a
 * number) are deleted and the rest counted. The count reads the snapshot the statement started
 * with, so it leaves out the rows its own delete took.
 */
const leaveBurstSql = `with gone as (
    delete from notification_burst_messages
     where clinic_id = $1 and person_kind = $2 and person_id = $3 and burst_id = $4
       and (message_id = $5 or (conversation_id = $6 and seq <= $7))
    returning message_id
  )
  select count(*)::int as remaining from notification_burst_messages b
   where b.clinic_id = $1 and b.person_kind = $2 and b.person_id = $3 and b.burst_id = $4
     and not exists (select from gone g where g.message_id = b.message_id)`;

const burstsHoldingSql = `select person_kind, person_id, message_id from notification_burst_messages
   where clinic_id = $1 and message_id = any($2::text[])`;

const burstSizeSql = `select count(*)::int as size from notification_burst_messages
   where clinic_id = $1 and person_kind = $2 and person_id = $3 and burst_id = $4`;

const burstConversationsSql = `select distinct conversation_id from notification_burst_messages
   where clinic_id = $1 and person_kind = $2 and person_id = $3 and burst_id = $4`;

/** Notification states (one locked row per recipient) and the delivery outbox of the clinic. */
export function postgresNotificationStore(statements: Statements, clinicId: string): NotificationStore {
  const { db } = statements;
  return {
    async state(recipient: PersonRef) {
      // One statement: the idle row goes in if missing, and the row is locked and read back as it
      // is now (an upsert's update waits for a concurrent one and sees its commit). Concurrent
      // sends to one recipient queue up here until this unit of work commits, so each sees the
      // other's burst (NOTIF-1).
      const row = await db
        .insertInto("notification_states")
        .values({
          clinic_id: clinicId,
          person_kind: recipient.kind,
          person_id: recipient.id,
          ...stateColumns({ status: "idle" }),
        })
        .onConflict((oc) =>
          oc
            .columns(["clinic_id", "person_kind", "person_id"])
            .doUpdateSet((eb) => ({ status: eb.ref("notification_states.status") })),
        )
        .returningAll()
        .executeTakeFirst();
      return row ? toState(row) : { status: "idle" };
    },
    async reserveStates(recipients) {
      if (recipients.length === 0) return [];
      const unique = [...new Map(recipients.map((r) => [`${r.kind}:${r.id}`, r])).values()];
      const rows = await statements.read<Selectable<NotificationStatesTable>>(reserveStatesSql, [
        clinicId,
        unique.map((r) => r.kind),
        unique.map((r) => r.id),
      ]);
      const byKey = new Map(rows.map((row) => [`${row.person_kind}:${row.person_id}`, toState(row)]));
      return recipients.map((r): NotificationState => byKey.get(`${r.kind}:${r.id}`) ?? { status: "idle" });
    },
    async saveState(recipient, state) {
      // A write: nothing reads the answer, and the row is reserved by this unit of work already.
      const columns = stateColumns(state);
      await statements.write(saveStateSql, [
        clinicId,
        recipient.kind,
        recipient.id,
        columns.status,
        columns.burst_id,
        columns.due_at,
      ]);
    },
    async saveStates(changes) {
      if (changes.length === 0) return;
      // A row once: the last state given for a recipient counts, as saving each in turn would.
      const last = [...new Map(changes.map((c) => [personKey(c.recipient), c])).values()];
      await statements.write(saveStatesSql, [
        clinicId,
        ...columnsOf(
          last.map(({ recipient, state }) => {
            const columns = stateColumns(state);
            return [recipient.kind, recipient.id, columns.status, columns.burst_id, columns.due_at];
          }),
        ),
      ]);
    },
    async joinBursts(joins) {
      if (joins.length === 0) return;
      // A message once per recipient: the last burst given for it counts, as joining each in turn would.
      const last = [
        ...new Map(joins.map((j) => [`${personKey(j.recipient)}|${j.message.messageId}`, j])).values(),
      ];
      await statements.write(joinBurstsSql, [
        clinicId,
        ...columnsOf(
          last.map(({ recipient, burstId, message }) => [
            recipient.kind,
            recipient.id,
            burstId,
            message.messageId,
            message.conversationId,
            message.seq,
          ]),
        ),
      ]);
    },
    async joinBurst(recipient, burstId, message) {
      // A write, like the state: the recipient's row is reserved, and nothing reads the answer.
      await statements.write(joinBurstSql, [
        clinicId,
        recipient.kind,
        recipient.id,
        burstId,
        message.messageId,
        message.conversationId,
        message.seq,
      ]);
    },
    async leaveBurst(recipient, burstId, leaving) {
      const byId = "messageId" in leaving;
      const rows = await statements.read<{ remaining: number }>(leaveBurstSql, [
        clinicId,
        recipient.kind,
        recipient.id,
        burstId,
        byId ? leaving.messageId : null,
        byId ? null : leaving.conversationId,
        byId ? null : leaving.upToSeq,
      ]);
      return rows[0]?.remaining ?? 0;
    },
    async burstConversations(recipient, burstId) {
      const rows = await statements.read<{ conversation_id: string }>(burstConversationsSql, [
        clinicId,
        recipient.kind,
        recipient.id,
        burstId,
      ]);
      return rows.map((row) => row.conversation_id);
    },
    async burstsHolding(messageIds) {
      if (messageIds.length === 0) return [];
      const rows = await statements.read<{ person_kind: PersonKind; person_id: string; message_id: string }>(
        burstsHoldingSql,
        [clinicId, [...messageIds]],
      );
      return rows.map((row) => ({
        person: personOf(row.person_kind, row.person_id),
        messageId: row.message_id,
      }));
    },
    async burstSize(recipient, burstId) {
      const rows = await statements.read<{ size: number }>(burstSizeSql, [
        clinicId,
        recipient.kind,
        recipient.id,
        burstId,
      ]);
      return rows[0]?.size ?? 0;
    },
    ...postgresNotificationDeliveries(statements, clinicId),
  };
}
