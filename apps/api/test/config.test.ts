import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration from the environment", () => {
  it("zero-config: an empty environment gives a working local configuration", () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      databaseUrl: null,
      s3: { endpoint: null, bucket: "clinic-chat", region: "us-east-1", credentials: null },
      kms: null,
      mail: { smtpUrl: null, from: "Clinic Chat <no-reply@localhost>" },
      sms: null,
      publicUrl: "http://localhost:3000",
      dataDir: ".data",
      notificationWorker: "inline",
      logLevel: "info",
      nodeEnv: "development",
      trustedProxies: [],
      metrics: null,
      demoSeed: true,
      liveStreamsPerSession: 10,
      liveHeartbeatMs: 15_000,
      otlpEndpoint: null,
      clamd: null,
      webhookExtraCaFile: null,
    });
  });

  it("SEC-7: unset, PUBLIC_URL is this machine on the port the product listens on", () => {
    expect(loadConfig({ PORT: "4100" }).publicUrl).toBe("http://localhost:4100");
    expect(loadConfig({ PORT: "0" }).publicUrl).toBe("http://localhost:3000");
    expect(loadConfig({ PORT: "4100", PUBLIC_URL: "https://chat.example.test" }).publicUrl).toBe(
      "https://chat.example.test",
    );
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgres://app:pw@db:5432/clinic",
      S3_ENDPOINT: "https://s3.example.test",
      S3_BUCKET: "clinic-files",
      S3_REGION: "eu-west-1",
      S3_ACCESS_KEY_ID: "AKIA",
      S3_SECRET_ACCESS_KEY: "secret",
      SMTP_URL: "smtps://user:pw@mail.example.test:465",
      MAIL_FROM: "Clinic <chat@example.test>",
      SMS_BASE_URL: "https://sms.example.test",
      SMS_ACCOUNT_SID: "AC1",
      SMS_AUTH_TOKEN: "token",
      SMS_FROM: "+15550000000",
      PUBLIC_URL: "https://chat.example.test",
      DATA_DIR: "/var/lib/clinic-chat",
      NOTIFICATION_WORKER: "only",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      TRUSTED_PROXIES: " 10.0.0.0/8, loopback ,,192.0.2.10",
      CLAMD_HOST: "clamd.internal",
      CLAMD_PORT: "3310",
      LIVE_STREAMS_PER_SESSION: "4",
      LIVE_HEARTBEAT_SECONDS: "2.5",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector.internal:4318",
      KMS_KEY_ID: "alias/clinic-chat",
      KMS_EARLIER_KEY_IDS: " alias/clinic-chat-2025 ,,",
    });
    expect(config).toMatchObject({
      liveStreamsPerSession: 4,
      liveHeartbeatMs: 2_500,
      otlpEndpoint: "http://collector.internal:4318",
      kms: { keyId: "alias/clinic-chat", earlierKeyIds: ["alias/clinic-chat-2025"], region: "eu-west-1" },
      trustedProxies: ["10.0.0.0/8", "loopback", "192.0.2.10"],
      port: 8080,
      databaseUrl: "postgres://app:pw@db:5432/clinic",
      s3: { credentials: { accessKeyId: "AKIA", secretAccessKey: "secret" } },
      sms: { baseUrl: "https://sms.example.test", from: "+15550000000" },
      notificationWorker: "only",
      nodeEnv: "production",
      clamd: { host: "clamd.internal", port: 3310 },
    });
  });

  it("SEC-3: a TRUSTED_PROXIES entry that is no address or range is refused by name, without its value", () => {
    const error = failure({ TRUSTED_PROXIES: "10.0.0.0/8, proxy.internal-hunter2" });
    expect(error.variables).toEqual(["TRUSTED_PROXIES"]);
    expect(error.message).toContain("TRUSTED_PROXIES must list IP addresses or CIDR ranges");
    expect(error.message).not.toContain("hunter2");
    expect(failure({ TRUSTED_PROXIES: "10.0.0.0/33" }).variables).toEqual(["TRUSTED_PROXIES"]);
  });

  it("empty variables count as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "" })).toMatchObject({ databaseUrl: null, port: 3000 });
  });

  it("lists every bad variable by name, and never echoes a value", () => {
    const error = failure({
      PORT: "eighty",
      DATABASE_URL: "mysql://root:hunter2-secret@db/x",
      NOTIFICATION_WORKER: "sometimes",
      S3_ACCESS_KEY_ID: "AKIA-only",
      SMS_FROM: "+1555",
      LOG_LEVEL: "loud",
      SMTP_URL: "not a url hunter2-secret",
    });
    expect([...error.variables].sort()).toEqual(
      [
        "PORT",
        "DATABASE_URL",
        "NOTIFICATION_WORKER",
        "S3_SECRET_ACCESS_KEY",
        "SMS_BASE_URL",
        "SMS_ACCOUNT_SID",
        "SMS_AUTH_TOKEN",
        "LOG_LEVEL",
        "SMTP_URL",
      ].sort(),
    );
    for (const name of error.variables) expect(error.message).toContain(name);
    expect(error.message).toContain("NOTIFICATION_WORKER must be one of inline, off, only");
    for (const value of ["eighty", "hunter2", "sometimes", "AKIA-only", "loud", "+1555"])
      expect(error.message).not.toContain(value);
  });

  it("SEC-7: production needs an https PUBLIC_URL", () => {
    const scanner = { CLAMD_SOCKET: "/run/clamav/clamd.ctl", EMBEDDED: "database,storage,mail" };
    expect(
      failure({ NODE_ENV: "production", PUBLIC_URL: "http://chat.example.test", ...scanner }).variables,
    ).toEqual(["PUBLIC_URL"]);
    expect(
      loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://chat.example.test", ...scanner }).publicUrl,
    ).toBe("https://chat.example.test");
  });

  it("FILE-6: production refuses to start without a malware scanner unless told explicitly", () => {
    const production = {
      NODE_ENV: "production",
      PUBLIC_URL: "https://chat.example.test",
      EMBEDDED: "database, storage, mail",
    };
    const error = failure(production);
    expect(error.variables).toEqual(["CLAMD_SOCKET"]);
    expect(error.message).toContain("MALWARE_SCANNING=off");
    expect(loadConfig({ ...production, MALWARE_SCANNING: "off" }).clamd).toBeNull();
    expect(loadConfig({ ...production, CLAMD_SOCKET: "/run/clamav/clamd.ctl" }).clamd).toEqual({
      socketPath: "/run/clamav/clamd.ctl",
    });
    // Development runs without one (and says so in its log).
    expect(loadConfig({}).clamd).toBeNull();
    expect(failure({ CLAMD_HOST: "clamd.internal" }).variables).toEqual(["CLAMD_PORT"]);
    expect(failure({ CLAMD_SOCKET: "/s", CLAMD_HOST: "h", CLAMD_PORT: "1" }).variables).toEqual([
      "CLAMD_SOCKET",
    ]);
    expect(failure({ MALWARE_SCANNING: "off", CLAMD_SOCKET: "/s" }).variables).toEqual(["MALWARE_SCANNING"]);
  });

  it("OPS-1: production refuses the embedded database, storage and mail unless told explicitly, naming the variable", () => {
    const production = {
      NODE_ENV: "production",
      PUBLIC_URL: "https://chat.example.test",
      MALWARE_SCANNING: "off",
    };
    const error = failure(production);
    expect(error.variables.toSorted()).toEqual(["DATABASE_URL", "S3_ENDPOINT", "SMTP_URL"]);
    expect(error.message).toContain("set DATABASE_URL, or EMBEDDED=database");
    expect(error.message).toContain("set S3_ENDPOINT, or EMBEDDED=storage");
    expect(error.message).toContain("set SMTP_URL, or EMBEDDED=mail");
    // Each server may be embedded on its own; the rest still need their variable.
    expect(failure({ ...production, EMBEDDED: "storage" }).variables.toSorted()).toEqual([
      "DATABASE_URL",
      "SMTP_URL",
    ]);
    const external = {
      ...production,
      DATABASE_URL: "postgres://owner:pw@db.internal:5432/clinic",
      S3_ENDPOINT: "https://s3.example.test",
      SMTP_URL: "smtps://mail.example.test:465",
    };
    expect(loadConfig(external).databaseUrl).toBe("postgres://owner:pw@db.internal:5432/clinic");
    expect(loadConfig({ ...production, EMBEDDED: "mail,database , storage" }).databaseUrl).toBeNull();
    expect(failure({ ...external, EMBEDDED: "database,cache" }).variables).toEqual(["EMBEDDED"]);
    // Development and tests keep running everything embedded with no variable at all.
    expect(loadConfig({}).databaseUrl).toBeNull();
  });

  it("OPS-1: production never seeds demo data; development does unless DEMO_SEED=never", () => {
    const production = {
      NODE_ENV: "production",
      PUBLIC_URL: "https://chat.example.test",
      MALWARE_SCANNING: "off",
      EMBEDDED: "database,storage,mail",
    };
    expect(loadConfig(production).demoSeed).toBe(false);
    expect(loadConfig({}).demoSeed).toBe(true);
    expect(loadConfig({ DEMO_SEED: "never" }).demoSeed).toBe(false);
    expect(failure({ DEMO_SEED: "sometimes" }).variables).toEqual(["DEMO_SEED"]);
  });
});
