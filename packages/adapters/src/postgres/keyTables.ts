// The key tables of REC-1 and REC-2, kept beside the others in the one Database interface.

/** A clinic's key, wrapped by the key-encryption key `kek_id` (REC-1). */
export interface ClinicKeysTable {
  clinic_id: string;
  kek_id: string;
  wrapped: Buffer;
}

/** A message's data key, wrapped by its clinic's key; deleted with its content (REC-2). */
export interface MessageKeysTable {
  clinic_id: string;
  message_id: string;
  wrapped: Buffer;
}

/** A file's data key (its name's), wrapped by its clinic's key; deleted with the file (REC-2). */
export interface FileKeysTable {
  clinic_id: string;
  file_id: string;
  wrapped: Buffer;
}

/**
 * The data key of one other record ("broadcast/<id>", "broadcast-file/<id>", "template/<id>",
 * "scheduled/<id>"), wrapped by its clinic's key; deleted when the record is (REC-2).
 */
export interface RecordKeysTable {
  clinic_id: string;
  subject: string;
  wrapped: Buffer;
}
