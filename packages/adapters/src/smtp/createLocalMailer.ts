import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTransport } from "nodemailer";
import { toEmailDeliveryError } from "./EmailDeliveryError";
import type { Mailer } from "./Mailer";
import { mailOptions } from "./mailOptions";

/** Where a local mailer writes and as whom. */
export interface LocalMailerOptions {
  /** The folder that receives one `.eml` file per email; created when missing. */
  readonly directory: string;
  /** The sender, such as `"Clinic Chat <no-reply@localhost>"`. */
  readonly from: string;
}

/**
 * A {@link Mailer} for the zero-config default: instead of sending, it writes each email as a
 * complete MIME message into `directory`, where a person can open it in any mail program.
 * File names are a timestamp and a random id, so they sort by time and never show an address.
 */
export function createLocalMailer(options: LocalMailerOptions): Mailer {
  // The stream transport builds the same MIME message SMTP would carry; CRLF as in real email.
  const transporter = createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return {
    async send(message) {
      try {
        const info = await transporter.sendMail(mailOptions(options.from, message));
        const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.eml`;
        await mkdir(options.directory, { recursive: true });
        // Owner-only and never overwriting: the file holds the recipient's address.
        await writeFile(join(options.directory, name), info.message, { mode: 0o600, flag: "wx" });
      } catch (error) {
        throw toEmailDeliveryError(error);
      }
    },
  };
}
