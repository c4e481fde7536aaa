/** A legal hold on a patient (REC-4). */
export interface LegalHoldsTable {
  clinic_id: string;
  patient_id: string;
  reason: string;
  placed_by: string;
  placed_at: Date;
}

/** The clinic's retention period (REC-3); no row: messages are kept. */
export interface RetentionPoliciesTable {
  clinic_id: string;
  amount: number;
  unit: "days" | "months" | "years";
  set_by: string;
  set_at: Date;
}

/** The retention run under way in a clinic (REC-3). */
export interface RetentionRunsTable {
  clinic_id: string;
  started_at: Date;
  cutoff: Date;
  deleted_messages: number;
  deleted_files: number;
}
