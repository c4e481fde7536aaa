export { openKeyFileProvider } from "./keyFileProvider";
export { keyEncryptionKeysMissing } from "./keysOfDeployment";
export { createKmsKeyProvider, type KmsKeyProviderOptions } from "./kmsKeyProvider";
export { type ClinicSeal, createRecordKeys, type RecordKeys } from "./recordKeys";
export { rotateKeyEncryptionKey } from "./rotateKeyEncryptionKey";
export { sealEarlierRecords } from "./sealEarlierRecords";
