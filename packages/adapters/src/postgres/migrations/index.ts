import type { Migration, MigrationProvider } from "kysely/migration";
import * as initial from "./0001_initial";
import * as auth from "./0002_auth";
import * as nameSearch from "./0003_name_search";
import * as nameWords from "./0004_name_words";
import * as dropNameTrigrams from "./0005_drop_name_trigrams";
import * as resolveSession from "./0006_resolve_session";
import * as burstMessages from "./0007_burst_messages";
import * as resolveSessionLeaner from "./0008_resolve_session_leaner";
import * as signInHardening from "./0009_sign_in_hardening";
import * as team from "./0010_team";
import * as patientRecords from "./0011_patient_records";
import * as passwordResets from "./0012_password_resets";
import * as inbox from "./0013_inbox";
import * as officeHours from "./0014_office_hours";
import * as fileChecks from "./0015_file_checks";
import * as integration from "./0016_integration";
import * as filePreviews from "./0017_file_previews";
import * as conversationNames from "./0018_conversation_names";
import * as templatesAndScheduled from "./0019_templates_and_scheduled";
import * as broadcasts from "./0020_broadcasts";
import * as webhooks from "./0021_webhooks";
import * as ownerUploadCleanup from "./0023_owner_upload_cleanup";
import * as legalHolds from "./0024_legal_holds";
import * as retention from "./0025_retention";
import * as emergencyAccess from "./0026_emergency_access";
import * as recordKeys from "./0028_record_keys";
import * as broadcastFollowups from "./0032_broadcast_followups";
import * as integrationUpkeep from "./0033_integration_upkeep";
import * as messageSearch from "./0034_message_search";
import * as recordKeysBySubject from "./0036_record_keys_by_subject";
import * as inboxOnMemberships from "./0038_inbox_on_memberships";
import * as patientErasure from "./0040_patient_erasure";
import * as messageSearchRecent from "./0041_message_search_recent";
import * as messageSearchPendingList from "./0042_message_search_pending_list";
import * as sessionCheckPlanning from "./0043_session_check_planning";
import * as sessionCheckByKind from "./0044_session_check_by_kind";

/**
 * Every migration, in order, as imported modules: forward only (no `down`), and bundled with the
 * code instead of found by scanning a folder at run time.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  "0001_initial": initial,
  "0002_auth": auth,
  "0003_name_search": nameSearch,
  "0004_name_words": nameWords,
  "0005_drop_name_trigrams": dropNameTrigrams,
  "0006_resolve_session": resolveSession,
  "0007_burst_messages": burstMessages,
  "0008_resolve_session_leaner": resolveSessionLeaner,
  "0009_sign_in_hardening": signInHardening,
  "0010_team": team,
  "0011_patient_records": patientRecords,
  "0012_password_resets": passwordResets,
  "0013_inbox": inbox,
  "0014_office_hours": officeHours,
  "0015_file_checks": fileChecks,
  "0016_integration": integration,
  "0018_conversation_names": conversationNames,
  "0019_templates_and_scheduled": templatesAndScheduled,
  "0021_webhooks": webhooks,
  "0023_owner_upload_cleanup": ownerUploadCleanup,
  "0020_broadcasts": broadcasts,
  "0017_file_previews": filePreviews,
  "0024_legal_holds": legalHolds,
  "0025_retention": retention,
  "0026_emergency_access": emergencyAccess,
  "0028_record_keys": recordKeys,
  "0032_broadcast_followups": broadcastFollowups,
  "0033_integration_upkeep": integrationUpkeep,
  "0034_message_search": messageSearch,
  "0036_record_keys_by_subject": recordKeysBySubject,
  "0038_inbox_on_memberships": inboxOnMemberships,
  "0040_patient_erasure": patientErasure,
  "0041_message_search_recent": messageSearchRecent,
  "0042_message_search_pending_list": messageSearchPendingList,
  "0043_session_check_planning": sessionCheckPlanning,
  "0044_session_check_by_kind": sessionCheckByKind,
};

/** Hands kysely's Migrator the migrations above. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
