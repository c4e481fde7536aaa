import type { ChildProcess } from "node:child_process";
import type { BenchDeployment } from "./benchDeployment";
import type { Row } from "./benchTable";

/** What the figures of run.ts share: the deployment, who is signed in, and where results go. */
export interface FigureContext {
  /** The run's temporary folder (logs, the relay's files). */
  readonly root: string;
  /** PostgreSQL's data folder, whose processes' CPU time the figures read. */
  readonly pgData: string;
  readonly deployment: BenchDeployment;
  /** The practitioner of each patient chat, signed in, in the order of `clinic.pairs`. */
  readonly senderCookies: readonly string[];
  /** The patient of each patient chat, signed in, in the order of `clinic.pairs`. */
  readonly patientCookies: readonly string[];
  /** messages.send on process A. */
  readonly sendUrl: URL;
  /** auth.signOut on process A, and what it answers without a session. */
  readonly signOut: { readonly url: URL; readonly body: string };
  /** The baselines' bare server: a node:http handler answering auth.signOut's body, and an SSE server. */
  readonly bare: { readonly process: ChildProcess; readonly url: string };
  /** Every child process a figure starts is pushed here at once, so run.ts stops it whatever happens. */
  readonly children: ChildProcess[];
  /** The table's rows and the notes under it, printed whatever happens. */
  readonly rows: Row[];
  readonly notes: string[];
}
