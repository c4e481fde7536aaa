import type { EmergencyAccessStore, EmergencyGrant } from "@clinic-chat/domain";
import type { Statements } from "./Statements";

const grantSql = `insert into emergency_access (clinic_id, id, conversation_id, admin_id, reason, granted_at, expires_at)
  values ($1, $2, $3, $4, $5, $6, $7)`;

const grantedSinceSql = `select id, conversation_id, admin_id, reason, granted_at, expires_at
  from emergency_access where clinic_id = $1 and granted_at >= $2
 order by granted_at desc, id desc limit $3`;

interface GrantRow {
  id: string;
  conversation_id: string;
  admin_id: string;
  reason: string;
  granted_at: Date;
  expires_at: Date;
}

/** The clinic's emergency grants (REC-7), in their own table: written once, never changed. */
export function postgresEmergencyAccessStore(statements: Statements, clinicId: string): EmergencyAccessStore {
  return {
    async grant(grant) {
      await statements.write(grantSql, [
        clinicId,
        grant.id,
        grant.conversationId,
        grant.adminId,
        grant.reason,
        grant.grantedAt,
        grant.expiresAt,
      ]);
    },
    async grantedSince(since, limit) {
      const rows = await statements.read<GrantRow>(grantedSinceSql, [clinicId, since, limit]);
      return rows.map(
        (row): EmergencyGrant => ({
          id: row.id,
          clinicId,
          conversationId: row.conversation_id,
          adminId: row.admin_id,
          reason: row.reason,
          grantedAt: row.granted_at,
          expiresAt: row.expires_at,
        }),
      );
    },
  };
}
