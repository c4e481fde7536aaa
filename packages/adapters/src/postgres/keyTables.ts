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
