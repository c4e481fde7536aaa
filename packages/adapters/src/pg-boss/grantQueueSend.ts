import type { PgBoss } from "pg-boss";

const plainIdentifier = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Resets the application role's privileges in pg-boss's schema to what `send` through the role's
 * own transaction touches (found by sending as that role): the schema, the queue settings the
 * insert reads, and INSERT on each given queue's job table with SELECT of the returned id only.
 * It cannot read job data, change jobs or reach any other queue's table.
 */
export async function grantQueueSend(
  boss: PgBoss,
  appRole: string,
  queues: readonly string[],
): Promise<void> {
  if (!plainIdentifier.test(appRole)) throw new Error("the application role name must be a plain identifier");
  const tables: string[] = [];
  for (const queue of queues) {
    const found = await boss.getQueue(queue);
    if (!found) throw new Error(`pg-boss queue ${queue} does not exist`);
    if (!plainIdentifier.test(found.table)) throw new Error("unexpected pg-boss job table name");
    tables.push(`pgboss."${found.table}"`);
  }
  const role = `"${appRole}"`;
  // One multi-statement query runs as one transaction; the lock settles two processes starting together.
  await boss.getDb().executeSql(`
    SELECT pg_advisory_xact_lock(hashtext('clinic-chat:pgboss-grants'));
    REVOKE ALL ON ALL TABLES IN SCHEMA pgboss FROM ${role};
    REVOKE ALL ON ALL SEQUENCES IN SCHEMA pgboss FROM ${role};
    REVOKE ALL ON SCHEMA pgboss FROM ${role};
    GRANT USAGE ON SCHEMA pgboss TO ${role};
    GRANT SELECT ON pgboss.queue TO ${role};
    ${tables.map((table) => `GRANT INSERT, SELECT (id) ON ${table} TO ${role};`).join("\n    ")}
  `);
}
