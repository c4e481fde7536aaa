import { execFileSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A self-signed certificate for 127.0.0.1, made for this test by the openssl CLI. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "webhook-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
      ],
      { stdio: "ignore" },
    );
    return {
      key: readFileSync(join(dir, "key.pem"), "utf8"),
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One request the receiver accepted, signature checked. */
export interface Received {
  readonly path: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * A host system's webhook receiver over HTTPS, as docs/webhooks.md tells one to write it: it
 * checks every request's signature with the endpoint's secret (by path), and answers what the
 * test says (`answer`), or nothing at all while `hang` is set.
 */
export class HttpsReceiver {
  readonly accepted: Received[] = [];
  readonly badSignatures: string[] = [];
  refused = 0;
  hung = 0;
  answer: () => number = () => 200;
  hang = false;
  private readonly secrets = new Map<string, string>();
  private readonly server: Server;
  private readonly pending = new Set<() => void>();

  constructor(certificate: { key: string; cert: string }) {
    this.server = createServer(certificate, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const path = req.url ?? "/";
        if (!this.verify(path, req.headers, body)) {
          this.badSignatures.push(path);
          res.writeHead(401).end();
          return;
        }
        if (this.hang) {
          this.hung++;
          this.pending.add(() => res.destroy());
          return;
        }
        const status = this.answer();
        if (status >= 200 && status < 300) this.accepted.push({ path, body, headers: req.headers });
        else this.refused++;
        res.writeHead(status).end();
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  url(path: string): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  trust(path: string, secret: string): void {
    this.secrets.set(path, secret);
  }

  /** The receiver's side of INTEG-4, the snippet of docs/webhooks.md. */
  private verify(path: string, headers: Received["headers"], body: string): boolean {
    const secret = this.secrets.get(path);
    const timestamp = headers["x-clinic-chat-timestamp"];
    const signature = headers["x-clinic-chat-signature"];
    if (!secret || typeof timestamp !== "string" || typeof signature !== "string") return false;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const expected = `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
    return (
      expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
    );
  }

  async close(): Promise<void> {
    for (const end of this.pending) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
