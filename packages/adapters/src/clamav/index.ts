/**
 * ClamAV behind the domain's MalwareScanner (FILE-6): clamd's INSTREAM command over TCP or a
 * Unix socket.
 * @packageDocumentation
 */
export {
  type ClamdAddress,
  type ClamdOptions,
  createClamdScanner,
  ScannerUnavailableError,
} from "./clamdScanner";
