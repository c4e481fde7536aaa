import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerError } from "smtp-server";

/** One email as the SMTP server received it: the envelope, the raw MIME text and its parse. */
export interface ReceivedEmail {
  readonly rcptTo: readonly string[];
  readonly raw: string;
  readonly parsed: ParsedMail;
}

/** A DATA phase the server is holding: the message arrived, the reply has not been given. */
export interface HeldData {
  /** Resolves once a message has arrived and is being held. */
  readonly caught: Promise<void>;
  /** Answers the held DATA: 250 when accepted, else 451. */
  release(accept: boolean): void;
}

/** A real SMTP server on a random loopback port that records what it receives and can misbehave. */
export interface SmtpRecorder {
  readonly url: string;
  readonly received: ReceivedEmail[];
  /** MAIL FROM commands answered 451 so far. */
  readonly rejected: number;
  /** The next `times` transactions are answered 451 at MAIL FROM, as a mail server in trouble. */
  failNext(times: number): void;
  /** While on, every transaction is answered 451 at MAIL FROM. */
  setOutage(on: boolean): void;
  /** Every later RCPT TO this address is refused for good (550), as an unknown mailbox. */
  refuseRecipient(address: string): void;
  /** Holds the DATA reply of the next message until released. */
  holdNext(): HeldData;
  /** Emails received for `address`. */
  to(address: string): ReceivedEmail[];
  /** Resolves once `predicate` holds after some message arrived (or already holds). */
  waitFor(predicate: (received: readonly ReceivedEmail[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): SMTPServerError {
  const error: SMTPServerError = new Error(message);
  error.responseCode = responseCode;
  return error;
}

/** Starts a plaintext, auth-free SMTP server on 127.0.0.1. */
export async function startSmtpRecorder(): Promise<SmtpRecorder> {
  const received: ReceivedEmail[] = [];
  const waiters: { predicate: (r: readonly ReceivedEmail[]) => boolean; resolve: () => void }[] = [];
  let failuresLeft = 0;
  let outage = false;
  let rejected = 0;
  const refused = new Set<string>();
  let hold: { caught: () => void; answer: Promise<boolean>; release: (accept: boolean) => void } | null =
    null;

  const settleWaiters = () => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate(received)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (outage || failuresLeft > 0) {
        if (failuresLeft > 0) failuresLeft--;
        rejected++;
        callback(smtpError("Mailbox temporarily unavailable", 451));
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      callback(refused.has(address.address) ? smtpError("Mailbox unavailable", 550) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        received.push({
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: raw.toString("utf8"),
          parsed,
        });
        settleWaiters();
        const held = hold;
        if (held) {
          hold = null;
          held.caught();
          const accept = await held.answer;
          callback(accept ? null : smtpError("Local error in processing", 451));
          return;
        }
        callback(null);
      });
    },
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    received,
    get rejected() {
      return rejected;
    },
    failNext(times) {
      failuresLeft = times;
    },
    setOutage(on) {
      outage = on;
    },
    refuseRecipient(address) {
      refused.add(address);
    },
    holdNext() {
      const caught = Promise.withResolvers<void>();
      const answer = Promise.withResolvers<boolean>();
      hold = { caught: () => caught.resolve(), answer: answer.promise, release: answer.resolve };
      return { caught: caught.promise, release: answer.resolve };
    },
    to(address) {
      return received.filter((email) => email.rcptTo.includes(address));
    },
    waitFor(predicate) {
      if (predicate(received)) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ predicate, resolve }));
    },
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
