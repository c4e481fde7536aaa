import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ClinicChat, isDomainError } from "@clinic-chat/domain";
import {
  type HostCaller,
  type HostRecord,
  hostRecordLimits,
  type RecordOutcome,
} from "@clinic-chat/domain/integration";
import type { Bundle, BundleEntry } from "@medplum/fhirtypes";
import type { ZodType } from "zod";
import { conversationBundle } from "../export/conversationBundle";
import { type AccessTokens, accessTokenSeconds, accessTokens, parseClientId } from "./accessTokens";
import { capabilityStatement } from "./capability";
import { emptyGathered, expressionOf, type Gathered, gather } from "./hostItems";
import { type IdentifierToken, parseIdentifierToken } from "./identifiers";
import { FhirRefusal, issue, operationOutcome } from "./outcome";
import { clientCredentials, readBody, readFhirJson } from "./requests";
import { bundleSchema, fhirPath, type ResourceType, resourceTypes, schemaOf } from "./schemas";
import { resourceOf, searchset } from "./toFhir";

/** What the FHIR endpoint needs. */
export interface FhirRouteOptions {
  readonly chat: ClinicChat;
  readonly clientAddress: (req: IncomingMessage) => string | null;
  /** Signs access tokens; instances behind one load balancer share it. Random per process when absent. */
  readonly tokenKey?: Buffer;
  /** Calls per credential and minute, across every API process (INTEG-1); the domain's `hostCallLimits` when absent. */
  readonly limits?: { perMinute: number };
}

/** Serves `/fhir/token` and `/fhir/R4/…` (INTEG-1, INTEG-2). */
export type FhirRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** What a search by identifier reads back; a PractitionerRole is kept as its practitioner's role, not a record. */
const kinds: Partial<Record<ResourceType, HostRecord["kind"]>> = {
  Patient: "patient",
  Practitioner: "practitioner",
  Appointment: "appointment",
};

function send(res: ServerResponse, status: number, body: unknown, type = "application/fhir+json"): void {
  res.statusCode = status;
  res.setHeader("Content-Type", `${type}; charset=utf-8`);
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify(body));
}

/** The OAuth2 token endpoint and the FHIR R4 endpoint; every answer is JSON, every refusal an OperationOutcome. */
export function createFhirRoute(opts: FhirRouteOptions): FhirRoute {
  const tokens: AccessTokens = accessTokens(opts.tokenKey);

  const tokenEndpoint = async (req: IncomingMessage, res: ServerResponse) => {
    const oauthError = (status: number, error: string) => send(res, status, { error }, "application/json");
    if (req.method !== "POST") return oauthError(405, "invalid_request");
    const form = new URLSearchParams(await readBody(req, 10_000));
    if (form.get("grant_type") !== "client_credentials") return oauthError(400, "unsupported_grant_type");
    const client = clientCredentials(req, form);
    const named = client ? parseClientId(client.clientId) : null;
    if (!client || !named || client.secret.length > 200) return oauthError(401, "invalid_client");
    try {
      const caller = await opts.chat.authenticateHost({
        ...named,
        secretDigest: createHash("sha256").update(client.secret, "utf8").digest("hex"),
        ip: opts.clientAddress(req),
      });
      send(
        res,
        200,
        {
          access_token: tokens.issue(caller, new Date()),
          token_type: "Bearer",
          expires_in: accessTokenSeconds,
          scope: "system/*.write system/*.read",
        },
        "application/json",
      );
    } catch (error) {
      if (isDomainError(error, "FORBIDDEN")) return oauthError(401, "invalid_client");
      throw error;
    }
  };

  const callerOf = async (req: IncomingMessage): Promise<HostCaller> => {
    const header = req.headers.authorization ?? "";
    const bearer = /^Bearer ([A-Za-z0-9_.-]{1,500})$/i.exec(header)?.[1];
    const caller = bearer ? tokens.verify(bearer, new Date(), opts.clientAddress(req)) : null;
    if (!caller)
      throw new FhirRefusal(401, [issue("login", "bearer_token_required")], {
        "WWW-Authenticate": 'Bearer error="invalid_token"',
      });
    const admission = await opts.chat.admitHostCall(caller, opts.limits);
    if (!admission.admitted)
      throw new FhirRefusal(429, [issue("throttled", "too_many_requests")], {
        "Retry-After": String(admission.retryAfterSeconds),
      });
    return caller;
  };

  const validated = <T>(schema: ZodType<T>, value: unknown, base: string): T => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new FhirRefusal(
      400,
      parsed.error.issues.map((i) =>
        issue(
          i.code === "invalid_type" && i.input === undefined ? "required" : "invalid",
          i.code,
          fhirPath(base, i.path),
        ),
      ),
    );
  };

  const record = async (caller: HostCaller, gathered: Gathered): Promise<RecordOutcome & { ok: true }> => {
    const problems = gathered.problems.length > 0 ? gathered.problems : null;
    const outcome: RecordOutcome = problems
      ? { ok: false, problems }
      : await opts.chat.recordFromHost(caller, gathered.records);
    if (outcome.ok) return outcome;
    throw new FhirRefusal(
      422,
      outcome.problems.map((p) =>
        issue(
          p.problem === "unknown" ? "not-found" : "invalid",
          p.problem,
          expressionOf(gathered.places[p.at]!, p.field),
        ),
      ),
    );
  };

  const put = async (req: IncomingMessage, res: ServerResponse, type: ResourceType, url: URL) => {
    const caller = await callerOf(req);
    const condition = parseIdentifierToken(url.searchParams.get("identifier"));
    if (!condition)
      throw new FhirRefusal(400, [issue("required", "identifier_condition_required", `${type}.identifier`)]);
    const resource = validated(schemaOf[type], await readFhirJson(req), type);
    const gathered = emptyGathered();
    gather(gathered, type, resource, condition);
    const [result] = (await record(caller, gathered)).results;
    send(res, result?.outcome === "add" ? 201 : 200, { ...resource, id: result?.id });
  };

  const transaction = async (req: IncomingMessage, res: ServerResponse) => {
    const caller = await callerOf(req);
    const body = await readFhirJson(req);
    const entries = (body as { entry?: unknown } | null)?.entry;
    if (Array.isArray(entries) && entries.length > hostRecordLimits.items)
      throw new FhirRefusal(413, [
        issue("too-costly", `at_most_${hostRecordLimits.items}_entries`, "Bundle.entry"),
      ]);
    const bundle = validated(bundleSchema, body, "Bundle");
    const gathered = emptyGathered();
    const issues = [];
    for (const [i, entry] of bundle.entry.entries()) {
      const base = `Bundle.entry[${i}]`;
      const [path, query] = entry.request.url.split("?");
      const type = resourceTypes.find((t) => t === path);
      const condition = parseIdentifierToken(new URLSearchParams(query ?? "").get("identifier"));
      if (!type || type !== entry.resource.resourceType || !condition) {
        issues.push(issue("invalid", "conditional_update_url_expected", `${base}.request.url`));
        continue;
      }
      try {
        gather(
          gathered,
          `${base}.resource`,
          validated(schemaOf[type], entry.resource, `${base}.resource`),
          condition,
        );
      } catch (error) {
        if (!(error instanceof FhirRefusal)) throw error;
        issues.push(...error.issues);
      }
    }
    if (issues.length > 0) throw new FhirRefusal(400, issues);
    const { results } = await record(caller, gathered);
    const response: Bundle = {
      resourceType: "Bundle",
      type: "transaction-response",
      entry: results.map(
        (r): BundleEntry => ({
          response: {
            status: r.outcome === "add" ? "201 Created" : "200 OK",
            location: `${gathered.places[r.at]!.resourceType}/${r.id}`,
          },
        }),
      ),
    };
    send(res, 200, response);
  };

  const search = async (
    req: IncomingMessage,
    res: ServerResponse,
    type: ResourceType,
    kind: HostRecord["kind"],
    url: URL,
  ) => {
    const caller = await callerOf(req);
    const token: IdentifierToken | null = parseIdentifierToken(url.searchParams.get("identifier"));
    if (!token)
      throw new FhirRefusal(400, [issue("required", "identifier_search_required", `${type}.identifier`)]);
    const found = await opts.chat.findHostRecord(caller, { kind, hostId: token.value });
    send(res, 200, searchset(found ? [resourceOf(found, token)] : []));
  };

  // INTEG-5: a patient's conversation for the chart, as a search on Communication chained to the
  // patient by the host's id; the domain decides what the credential may export.
  const chartExport = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const caller = await callerOf(req);
    const token = parseIdentifierToken(
      url.searchParams.get("patient.identifier") ?? url.searchParams.get("patient:identifier"),
    );
    if (!token)
      throw new FhirRefusal(400, [
        issue("required", "patient_identifier_search_required", "Communication.subject"),
      ]);
    const record = await opts.chat.exportPatientChatForHost(caller, { patientHostId: token.value });
    const communications = record ? (conversationBundle(record).entry ?? []) : [];
    send(res, 200, searchset(communications.flatMap((entry) => (entry.resource ? [entry.resource] : []))));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/\/+$/, "");
    if (path === "/fhir/token") return tokenEndpoint(req, res);
    if (path === "/fhir/R4/metadata" && method === "GET")
      return send(res, 200, capabilityStatement(`${url.origin}/fhir/token`));
    if (path === "/fhir/R4" && method === "POST") return transaction(req, res);
    if (path === "/fhir/R4/Communication" && method === "GET") return chartExport(req, res, url);
    const type = resourceTypes.find((t) => path === `/fhir/R4/${t}`);
    if (type && method === "PUT") return put(req, res, type, url);
    const kind = type ? kinds[type] : undefined;
    if (type && kind && method === "GET") return search(req, res, type, kind, url);
    throw new FhirRefusal(type ? 405 : 404, [
      issue("not-supported", type ? "method_not_supported" : "not_found"),
    ]);
  };

  return async (req, res, url) => {
    try {
      await handle(req, res, url);
    } catch (error) {
      if (error instanceof FhirRefusal) {
        for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
        return send(res, error.status, operationOutcome(error.issues));
      }
      if (isDomainError(error, "FORBIDDEN"))
        return send(res, 401, operationOutcome([issue("security", "credential_refused")]));
      if (isDomainError(error, "INVALID_INPUT"))
        return send(res, 400, operationOutcome([issue("invalid", "invalid_input", "Bundle.entry")]));
      throw error;
    }
  };
}
