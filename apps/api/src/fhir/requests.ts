import type { IncomingMessage } from "node:http";
import { FhirRefusal, issue } from "./outcome";

/** The largest body the endpoint reads: a transaction of the largest size, with room. */
export const maxFhirBodyBytes = 16_000_000;

/** Reads the body, refusing one larger than `limit` (413, too-costly) before reading it all. */
export async function readBody(req: IncomingMessage, limit: number = maxFhirBodyBytes): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw new FhirRefusal(413, [issue("too-costly", "body_too_large")]);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new FhirRefusal(413, [issue("too-costly", "body_too_large")]);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A FHIR JSON body: `application/fhir+json` (or plain JSON), parsed. */
export async function readFhirJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/fhir+json" && type !== "application/json")
    throw new FhirRefusal(415, [issue("not-supported", "content_type_not_fhir_json")]);
  const body = await readBody(req);
  try {
    return JSON.parse(body);
  } catch {
    throw new FhirRefusal(400, [issue("structure", "not_json")]);
  }
}

/** The OAuth2 client of a token request: HTTP Basic (client_secret_basic) or the form (client_secret_post). */
export function clientCredentials(
  req: IncomingMessage,
  form: URLSearchParams,
): { clientId: string; secret: string } | null {
  const header = req.headers.authorization ?? "";
  if (header.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return null;
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
        secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
      };
    } catch {
      return null;
    }
  }
  const clientId = form.get("client_id");
  const secret = form.get("client_secret");
  return clientId && secret ? { clientId, secret } : null;
}
