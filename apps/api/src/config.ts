import { z } from "zod";
import { clientAddress } from "./http/requestMeta";

const optionalText = z.string().min(1).optional();
const url = (protocols: RegExp) => z.url({ protocol: protocols });

const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: url(/^postgres(ql)?$/).optional(),
  S3_ENDPOINT: url(/^https?$/).optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
    .default("clinic-chat"),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  KMS_KEY_ID: optionalText,
  KMS_EARLIER_KEY_IDS: optionalText,
  KMS_REGION: optionalText,
  SMTP_URL: url(/^smtps?$/).optional(),
  MAIL_FROM: z.string().min(3).default("Clinic Chat <no-reply@localhost>"),
  SMS_BASE_URL: url(/^https?$/).optional(),
  SMS_ACCOUNT_SID: optionalText,
  SMS_AUTH_TOKEN: optionalText,
  SMS_FROM: optionalText,
  PUBLIC_URL: url(/^https?$/).optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  NOTIFICATION_WORKER: z.enum(["inline", "off", "only"]).default("inline"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Comma-separated addresses, CIDR ranges or `loopback`/`linklocal`/`uniquelocal`. */
  TRUSTED_PROXIES: optionalText,
  /** FILE-6: clamd's Unix socket, or its TCP address as CLAMD_HOST and CLAMD_PORT. */
  CLAMD_SOCKET: optionalText,
  CLAMD_HOST: optionalText,
  CLAMD_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** OPS-4: the port of `GET /metrics` (Prometheus), on METRICS_HOST; absent: no metrics listener. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** `off` runs without a malware scanner; production refuses to start without one unless set. */
  MALWARE_SCANNING: z.enum(["clamd", "off"]).optional(),
  /** INTEG-4: a PEM file of CA certificates trusted for webhook endpoints besides the public roots. */
  WEBHOOK_EXTRA_CA_FILE: optionalText,
  /** OPS-1: comma-separated embedded servers production may run (`database`, `storage`, `mail`). */
  EMBEDDED: z
    .string()
    .regex(/^\s*(database|storage|mail)\s*(,\s*(database|storage|mail)\s*)*$/)
    .optional(),
  /** OPS-4: where traces go over OTLP/HTTP (spans to `<endpoint>/v1/traces`); absent: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(/^https?$/).optional(),
  /** OPS-1: most live streams (tabs, windows) one signed-in session may hold open at once. */
  LIVE_STREAMS_PER_SESSION: z.coerce.number().int().min(1).max(1000).default(10),
  /** MSG-2: seconds between pings on every live stream; clients reconnect after twice that of silence. */
  LIVE_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(300).default(15),
  /** `never` skips the demo seed on an empty database; production never seeds (OPS-1). */
  DEMO_SEED: z.enum(["never"]).optional(),
});

/** The embedded servers production may run when told so (OPS-1). */
type EmbeddedServer = "database" | "storage" | "mail";

/** The entries of EMBEDDED (none when unset). */
function embeddedList(value: string | undefined): EmbeddedServer[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(
      (entry): entry is EmbeddedServer => entry === "database" || entry === "storage" || entry === "mail",
    );
}

/** The entries of TRUSTED_PROXIES (none when unset). */
function trustedProxyList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/**
 * Rules across variables, checked on the raw environment so they are reported together with the
 * per-variable problems (a schema refinement would only run once everything else was valid).
 */
function crossVariableProblems(env: Readonly<Record<string, string>>): Map<string, string> {
  const problems = new Map<string, string>();
  const together = (names: readonly string[], why: string) => {
    const missing = names.filter((name) => env[name] === undefined);
    if (missing.length > 0 && missing.length < names.length)
      for (const name of missing) problems.set(name, `${name} ${why}`);
  };
  together(["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"], "is required together with the other S3 credential");
  together(
    ["SMS_BASE_URL", "SMS_ACCOUNT_SID", "SMS_AUTH_TOKEN", "SMS_FROM"],
    "is required together with the other SMS_* variables",
  );
  try {
    clientAddress(trustedProxyList(env.TRUSTED_PROXIES));
  } catch {
    problems.set(
      "TRUSTED_PROXIES",
      "TRUSTED_PROXIES must list IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal), separated by commas",
    );
  }
  together(["CLAMD_HOST", "CLAMD_PORT"], "is required together with the other of CLAMD_HOST and CLAMD_PORT");
  if (env.CLAMD_SOCKET !== undefined && env.CLAMD_HOST !== undefined)
    problems.set("CLAMD_SOCKET", "CLAMD_SOCKET and CLAMD_HOST are alternatives: set one");
  const clamd = env.CLAMD_SOCKET !== undefined || env.CLAMD_HOST !== undefined;
  if (env.MALWARE_SCANNING === "off" && clamd)
    problems.set("MALWARE_SCANNING", "MALWARE_SCANNING=off contradicts the CLAMD_* variables");
  // FILE-6: production scans every upload unless told explicitly to run without a scanner.
  if (env.NODE_ENV === "production" && !clamd && env.MALWARE_SCANNING !== "off")
    problems.set(
      "CLAMD_SOCKET",
      "production needs a malware scanner: set CLAMD_SOCKET (or CLAMD_HOST and CLAMD_PORT), or MALWARE_SCANNING=off to run without one",
    );
  // OPS-1: production runs on real servers unless told explicitly to run an embedded one.
  if (env.NODE_ENV === "production") {
    const allowed = embeddedList(env.EMBEDDED);
    const external = [
      ["DATABASE_URL", "database", "PostgreSQL"],
      ["S3_ENDPOINT", "storage", "object storage"],
      ["SMTP_URL", "mail", "mail server"],
    ] as const;
    for (const [variable, server, what] of external)
      if (env[variable] === undefined && !allowed.includes(server))
        problems.set(
          variable,
          `production needs an external ${what}: set ${variable}, or EMBEDDED=${server} to run the embedded one`,
        );
  }
  // Secure cookies and HSTS need HTTPS outside local development (SEC-7).
  if (env.NODE_ENV === "production" && !env.PUBLIC_URL?.startsWith("https://"))
    problems.set("PUBLIC_URL", "PUBLIC_URL must be an https:// URL in production");
  return problems;
}

/** The API's configuration, read once from the environment at start-up. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absent: the embedded PostgreSQL under `dataDir` (zero-config local use). */
  readonly databaseUrl: string | null;
  readonly s3: {
    /** Absent: the embedded S3 server under `dataDir`. */
    readonly endpoint: string | null;
    readonly bucket: string;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | null;
  };
  /** REC-1. Absent: the key file under `dataDir`'s secrets. AWS credentials come from the SDK's chain. */
  readonly kms: { readonly keyId: string; readonly earlierKeyIds: string[]; readonly region: string } | null;
  readonly mail: {
    /** Absent: emails are written as .eml files under `dataDir`. */
    readonly smtpUrl: string | null;
    readonly from: string;
  };
  /** Absent: SMS notifications cannot be sent. */
  readonly sms: {
    readonly baseUrl: string;
    readonly accountSid: string;
    readonly authToken: string;
    readonly from: string;
  } | null;
  /** Where users reach the app; its origin is the one allowed to send state-changing requests. */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** `inline`: the API process also runs the notification worker; `only`: it runs nothing else. */
  readonly notificationWorker: "inline" | "off" | "only";
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  readonly nodeEnv: "development" | "test" | "production";
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (empty: none, the socket's peer is the
   * client): the address in the audit trail and the per-address sign-in limits (SEC-1, SEC-3).
   */
  readonly trustedProxies: readonly string[];
  /** OPS-4: where `GET /metrics` listens; null: nowhere. */
  readonly metrics: { readonly port: number; readonly host: string } | null;
  /** Whether an empty database gets the demo clinics at start: never in production (OPS-1). */
  readonly demoSeed: boolean;
  /** OPS-1: most live streams one session may hold open at once. */
  readonly liveStreamsPerSession: number;
  /** MSG-2: milliseconds between pings on every live stream (one timer per process). */
  readonly liveHeartbeatMs: number;
  /** OPS-4: the OTLP/HTTP endpoint traces are exported to; null: none. */
  readonly otlpEndpoint: string | null;
  /** FILE-6: where clamd listens; null runs without a malware scanner (development, or told so). */
  readonly clamd: { readonly socketPath: string } | { readonly host: string; readonly port: number } | null;
  /** INTEG-4: a PEM file of CA certificates trusted for webhook endpoints besides the public roots. */
  readonly webhookExtraCaFile: string | null;
}

/** Thrown by {@link loadConfig}; the message names every bad variable and why, never its value. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly variables: readonly string[],
    problems: readonly string[],
  ) {
    super(`Invalid configuration: ${problems.join("; ")}`);
  }
}

// Our own words for each kind of problem: zod's messages are not promised to leave the value out.
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return "missing or not the right type";
    case "too_small":
    case "too_big":
      return "out of range";
    case "invalid_format":
      return issue.format === "url" ? "not a valid URL of the expected kind" : "not in the expected format";
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    default:
      return "not valid";
  }
}

/**
 * Reads and checks the configuration from environment variables (empty ones count as unset).
 * Throws a {@link ConfigError} listing every bad variable by name.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
    ),
  );
  const parsed = environment.safeParse(present);
  const problems = crossVariableProblems(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "environment");
      if (!problems.has(name)) problems.set(name, `${name} ${describe(issue)}`);
    }
  }
  if (!parsed.success || problems.size > 0)
    throw new ConfigError([...problems.keys()], [...problems.values()]);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    s3: {
      endpoint: e.S3_ENDPOINT ?? null,
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      credentials:
        e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
          : null,
    },
    kms: e.KMS_KEY_ID
      ? {
          keyId: e.KMS_KEY_ID,
          earlierKeyIds: (e.KMS_EARLIER_KEY_IDS ?? "").split(",").flatMap((id) => id.trim() || []),
          region: e.KMS_REGION ?? e.S3_REGION,
        }
      : null,
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM },
    sms:
      e.SMS_BASE_URL && e.SMS_ACCOUNT_SID && e.SMS_AUTH_TOKEN && e.SMS_FROM
        ? {
            baseUrl: e.SMS_BASE_URL,
            accountSid: e.SMS_ACCOUNT_SID,
            authToken: e.SMS_AUTH_TOKEN,
            from: e.SMS_FROM,
          }
        : null,
    // Unset, it is this machine on the port the product listens on, so that a changed PORT still
    // signs in (a port chosen by the system, 0, is not known yet: the usual one then).
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT === 0 ? 3000 : e.PORT}`,
    dataDir: e.DATA_DIR,
    notificationWorker: e.NOTIFICATION_WORKER,
    logLevel: e.LOG_LEVEL,
    nodeEnv: e.NODE_ENV,
    trustedProxies: trustedProxyList(e.TRUSTED_PROXIES),
    metrics: e.METRICS_PORT === undefined ? null : { port: e.METRICS_PORT, host: e.METRICS_HOST },
    demoSeed: e.NODE_ENV !== "production" && e.DEMO_SEED !== "never",
    liveStreamsPerSession: e.LIVE_STREAMS_PER_SESSION,
    liveHeartbeatMs: Math.round(e.LIVE_HEARTBEAT_SECONDS * 1000),
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    clamd: e.CLAMD_SOCKET
      ? { socketPath: e.CLAMD_SOCKET }
      : e.CLAMD_HOST && e.CLAMD_PORT
        ? { host: e.CLAMD_HOST, port: e.CLAMD_PORT }
        : null,
    webhookExtraCaFile: e.WEBHOOK_EXTRA_CA_FILE ?? null,
  };
}
