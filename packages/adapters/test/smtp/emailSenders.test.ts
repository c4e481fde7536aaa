import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NotificationPayload } from "@clinic-chat/domain";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerError } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalEmailSender, createSmtpEmailSender, EmailDeliveryError } from "../../src/smtp/index";

/** What the SMTP server received: the envelope and the raw MIME message. */
interface Received {
  readonly mailFrom: string | undefined;
  readonly rcptTo: readonly string[];
  readonly raw: Buffer;
}

interface Rejection {
  readonly at: "RCPT" | "DATA";
  readonly responseCode: number;
  readonly message: string;
}

const openServers: SMTPServer[] = [];

afterEach(async () => {
  await Promise.all(openServers.splice(0).map((server) => new Promise<void>((done) => server.close(done))));
});

function smtpError(rejection: Rejection): SMTPServerError {
  const error: SMTPServerError = new Error(rejection.message);
  error.responseCode = rejection.responseCode;
  return error;
}

/** A real SMTP server on a random loopback port, plaintext and without auth, recording what it gets. */
async function startSmtpServer(rejection?: Rejection) {
  const received: Received[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(rejection?.at === "RCPT" ? smtpError(rejection) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          mailFrom: mailFrom ? mailFrom.address : undefined,
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks),
        });
        callback(rejection?.at === "DATA" ? smtpError(rejection) : null);
      });
    },
  });
  openServers.push(server);
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.server.address() as AddressInfo;
  return { received, smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true` };
}

/** A loopback port nobody listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

const from = "Clinic Chat <no-reply@clinic-chat.example>";
const to = "recipient.7421@example.org";

// What surrounds a real notification: the message, its file and the patient. The payload below is
// built the way the domain builds it, from the clinic name and link only, so none of this may reach
// the email (NOTIF-4).
const surrounding = {
  messageText: "MARKER-MSG-TEXT my biopsy came back abnormal",
  fileName: "MARKER-FILE-biopsy-report-2024.pdf",
  patientName: "MARKER-PATIENT Zelda Quartermaine",
};
const markers = Object.values(surrounding);

const link = "https://portal.maple.example/sign-in?clinic=maple";
const payload: NotificationPayload = {
  subject: "New secure message from Maple Street Clinic",
  text: `You have a new secure message from Maple Street Clinic. Sign in to read it.\n\n${link}`,
  clinicName: "Maple Street Clinic",
  link,
};

function addressesOf(field: ParsedMail["to"] | ParsedMail["from"]): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.map((address) => address.address ?? ""));
}

/** Everything a reader or a mail program could see of a message, decoded and raw. */
function visibleParts(raw: Buffer, parsed: ParsedMail): string[] {
  const headers = [...parsed.headers.entries()].map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  return [raw.toString("utf8"), parsed.subject ?? "", parsed.text ?? "", parsed.html || "", ...headers];
}

function expectNoMarkers(raw: Buffer, parsed: ParsedMail): void {
  for (const part of visibleParts(raw, parsed)) {
    for (const marker of markers) expect(part).not.toContain(marker);
    expect(part).not.toContain("MARKER");
  }
}

function expectNotificationContent(parsed: ParsedMail): void {
  expect(addressesOf(parsed.from)).toEqual(["no-reply@clinic-chat.example"]);
  expect(addressesOf(parsed.to)).toEqual([to]);
  expect(parsed.subject).toBe(payload.subject);
  expect(parsed.text?.trim()).toBe(payload.text);
  const html = parsed.html || "";
  expect(html).toContain("Maple Street Clinic");
  expect(html).toContain("You have a new secure message from Maple Street Clinic. Sign in to read it.");
  expect(html).toContain(`href="${link}"`);
  expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
}

/** The error a promise rejects with, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<EmailDeliveryError> {
  const error = await promise.then(
    () => expect.fail("expected the send to fail"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(EmailDeliveryError);
  return error as EmailDeliveryError;
}

/** SEC-5: nothing an error carries, however it is printed or logged, names the recipient or the body. */
function expectNoRecipientOrBody(error: EmailDeliveryError): void {
  const printed = [error.message, String(error), error.stack ?? "", JSON.stringify(error)];
  for (const text of printed) {
    expect(text).not.toContain(to);
    expect(text).not.toContain("recipient.7421");
    expect(text).not.toContain(payload.text);
    expect(text).not.toContain(link);
  }
  expect(error.cause).toBeUndefined();
}

describe("SMTP email sender", () => {
  it("NOTIF-4: sends the payload as a plain-text and HTML email, and nothing else", async () => {
    const { received, smtpUrl } = await startSmtpServer();

    await createSmtpEmailSender({ smtpUrl, from }).send(to, payload);

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.mailFrom).toBe("no-reply@clinic-chat.example");
    expect(message?.rcptTo).toEqual([to]);
    const parsed = await simpleParser(message!.raw);
    expectNotificationContent(parsed);
    expectNoMarkers(message!.raw, parsed);
  });

  it("NOTIF-4: escapes the clinic name and the sentence in the HTML body", async () => {
    const { received, smtpUrl } = await startSmtpServer();
    const clinicName = `Smith & Jones <script>alert("x")</script> Practice`;
    const tricky: NotificationPayload = {
      subject: `New secure message from ${clinicName}`,
      text: `You have a new secure message from ${clinicName}. Sign in to read it.\n\n${link}`,
      clinicName,
      link,
    };

    await createSmtpEmailSender({ smtpUrl, from }).send(to, tricky);

    const parsed = await simpleParser(received[0]!.raw);
    const html = parsed.html || "";
    expect(html).not.toContain("<script>");
    expect(html).toContain("Smith &amp; Jones &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Practice");
    expect(parsed.subject).toBe(tricky.subject);
    expect(parsed.text?.trim()).toBe(tricky.text);
  });

  it("NOTIF-5: a 4xx refusal is a retryable error that names neither address nor body", async () => {
    const { received, smtpUrl } = await startSmtpServer({
      at: "RCPT",
      responseCode: 450,
      message: `Mailbox ${to} busy, try later`,
    });

    const error = await rejectionOf(createSmtpEmailSender({ smtpUrl, from }).send(to, payload));

    expect(error.retryable).toBe(true);
    expect(error.responseCode).toBe(450);
    expectNoRecipientOrBody(error);
    expect(received).toHaveLength(0);
  });

  it("NOTIF-5: a 5xx refusal is a permanent error that names neither address nor body", async () => {
    const { smtpUrl } = await startSmtpServer({
      at: "RCPT",
      responseCode: 550,
      message: `No such user <${to}>`,
    });

    const error = await rejectionOf(createSmtpEmailSender({ smtpUrl, from }).send(to, payload));

    expect(error.retryable).toBe(false);
    expect(error.responseCode).toBe(550);
    expectNoRecipientOrBody(error);
  });

  it("NOTIF-5: a refusal after the message was sent is classified by its reply code too", async () => {
    const { smtpUrl } = await startSmtpServer({
      at: "DATA",
      responseCode: 552,
      message: `Message for ${to} exceeds quota`,
    });

    const error = await rejectionOf(createSmtpEmailSender({ smtpUrl, from }).send(to, payload));

    expect(error.retryable).toBe(false);
    expect(error.responseCode).toBe(552);
    expectNoRecipientOrBody(error);
  });

  it("NOTIF-5: an SMTP server that cannot be reached gives a retryable error", async () => {
    const port = await closedPort();

    const error = await rejectionOf(
      createSmtpEmailSender({ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from }).send(to, payload),
    );

    expect(error.retryable).toBe(true);
    expect(error.responseCode).toBeUndefined();
    expectNoRecipientOrBody(error);
  });
});

describe("local .eml email sender", () => {
  let directory: string | undefined;

  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it("NOTIF-4: writes the same email as SMTP sends, as a file a mail program can open", async () => {
    directory = await mkdtemp(join(tmpdir(), "clinic-chat-eml-"));
    const outbox = join(directory, "outbox");
    const { received, smtpUrl } = await startSmtpServer();

    await createLocalEmailSender({ directory: outbox, from }).send(to, payload);
    await createSmtpEmailSender({ smtpUrl, from }).send(to, payload);

    const files = await readdir(outbox);
    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file).toMatch(/\.eml$/);
    expect(file).not.toContain("recipient");
    const raw = await readFile(join(outbox, file!));
    const local = await simpleParser(raw);
    expectNotificationContent(local);
    expectNoMarkers(raw, local);

    const viaSmtp = await simpleParser(received[0]!.raw);
    expect(local.subject).toBe(viaSmtp.subject);
    expect(local.text).toBe(viaSmtp.text);
    expect(local.html).toBe(viaSmtp.html);
  });

  it("NOTIF-5: each email gets its own file, never overwriting an earlier one", async () => {
    directory = await mkdtemp(join(tmpdir(), "clinic-chat-eml-"));
    const sender = createLocalEmailSender({ directory, from });

    await Promise.all([sender.send(to, payload), sender.send(to, payload), sender.send(to, payload)]);

    expect((await readdir(directory)).filter((name) => name.endsWith(".eml"))).toHaveLength(3);
  });
});
