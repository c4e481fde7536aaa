import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the stand-in received: its operation, content type, JSON body, and whether it was signed. */
export interface KmsRequest {
  readonly target: string;
  readonly contentType: string | undefined;
  readonly signed: boolean;
  readonly body: Record<string, unknown>;
}

export interface KmsStandIn {
  readonly url: string;
  readonly requests: KmsRequest[];
  stop(): Promise<void>;
}

/**
 * A local stand-in of AWS KMS's JSON protocol for Encrypt, Decrypt and RotateKeyOnDemand: a
 * ciphertext is an opaque handle, which decrypts only under the key and encryption context it was
 * made with, as KMS's does.
 */
export async function startKmsStandIn(): Promise<KmsStandIn> {
  const requests: KmsRequest[] = [];
  const blobs = new Map<string, { plaintext: string; keyId: string; context: string }>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const target = String(request.headers["x-amz-target"] ?? "");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      requests.push({
        target,
        contentType: request.headers["content-type"],
        signed: String(request.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256"),
        body,
      });
      const answer = (status: number, json: unknown) => {
        response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        response.end(JSON.stringify(json));
      };
      const context = JSON.stringify(body.EncryptionContext ?? {});
      if (target === "TrentService.Encrypt") {
        const blob = randomBytes(48).toString("base64");
        blobs.set(blob, { plaintext: String(body.Plaintext), keyId: String(body.KeyId), context });
        answer(200, { CiphertextBlob: blob, KeyId: body.KeyId, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
      } else if (target === "TrentService.Decrypt") {
        const found = blobs.get(String(body.CiphertextBlob));
        if (!found || found.context !== context || found.keyId !== body.KeyId) {
          answer(400, { __type: "InvalidCiphertextException", message: "cannot decrypt" });
        } else answer(200, { Plaintext: found.plaintext, KeyId: found.keyId });
      } else if (target === "TrentService.RotateKeyOnDemand") {
        answer(200, { KeyId: body.KeyId });
      } else answer(400, { __type: "UnsupportedOperationException", message: target });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
