/** Files shared in conversations (FILE-1 … FILE-8, DEL-2): `@clinic-chat/domain/files`. */
export { cleanupUnconfirmedUploads } from "./cleanupUnconfirmedUploads";
export { type ConfirmedUpload, confirmFileUpload } from "./confirmFileUpload";
export { downloadFile } from "./downloadFile";
export { type FilePreviewLinks, filePreview } from "./filePreview";
export {
  checkFileDeclaration,
  checkUploadedFile,
  displayFileName,
  inspectionLimits,
  isAllowedFileType,
  maxFileNameLength,
} from "./fileRules";
export {
  archiveTypes,
  checkFileName,
  extensionsByType,
  fileExtension,
  markupTypes,
  refusedExtensions,
  typeOfExtension,
} from "./fileTypes";
export { makeFilePreviews } from "./makeFilePreviews";
export { cancelUpload, type UploadInProgress, uploadsInProgress } from "./myUploads";
export type {
  ArchiveMeasure,
  BlobInspection,
  BlobStore,
  FileRefusal,
  FileScan,
  FileScanQueue,
  FileStore,
  InspectionLimits,
  MalwareScanner,
  PresignedUrl,
  RemovedFile,
  ScanVerdict,
} from "./ports";
export {
  type FilePreview,
  type FilePreviewJob,
  type FilePreviewQueue,
  type ImagePreviewer,
  type PreviewKind,
  previewKindOf,
  previewRules,
  type Rendition,
  type RenditionName,
  renditionKey,
  renditionNames,
  storedObjectKeys,
} from "./previews";
export { requestFileUpload } from "./requestFileUpload";
export { fileRules, type StoredFile } from "./StoredFile";
export { scanUploadedFile } from "./scanUploadedFile";
export { type UploadState, uploadState } from "./uploadState";
