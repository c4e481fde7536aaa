export { openKeyFileProvider } from "./keyFileProvider";
export { type ClinicSeal, createRecordKeys, type RecordKeys } from "./recordKeys";
