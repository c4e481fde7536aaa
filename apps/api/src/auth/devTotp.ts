import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { normaliseEmail } from "./emails";
import { totpCode } from "./totp";

/**
 * LOCAL DEMO ONLY. The demo seed can enrol its staff in TOTP with secrets it keeps in the data
 * folder (owner-only), so a person trying the product locally gets codes from
 * `npx tsx src/auth/totpCli.ts <email>` instead of an authenticator app. Refused in production.
 */
export interface DemoTotpSecret {
  readonly email: string;
  readonly secret: string;
}

const fileOf = (dataDir: string) => join(dataDir, "secrets", "demo-totp.json");

function refuseInProduction(nodeEnv: string | undefined): void {
  if (nodeEnv === "production") throw new Error("demo TOTP secrets are for local development only");
}

/** Keeps the demo staff's TOTP secrets under `<dataDir>/secrets/` (mode 0600). */
export async function saveDemoTotpSecrets(
  dataDir: string,
  secrets: readonly DemoTotpSecret[],
  nodeEnv: string | undefined,
): Promise<void> {
  refuseInProduction(nodeEnv);
  await mkdir(join(dataDir, "secrets"), { recursive: true, mode: 0o700 });
  const entries = secrets.map((s) => ({ email: normaliseEmail(s.email), secret: s.secret }));
  await writeFile(fileOf(dataDir), `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
}

/** The current TOTP code of a demo staff member, or null when the seed kept no secret for them. */
export async function demoTotpCode(
  dataDir: string,
  email: string,
  now: Date,
  nodeEnv: string | undefined,
): Promise<string | null> {
  refuseInProduction(nodeEnv);
  let entries: DemoTotpSecret[];
  try {
    entries = JSON.parse(await readFile(fileOf(dataDir), "utf8")) as DemoTotpSecret[];
  } catch {
    return null;
  }
  const entry = entries.find((e) => e.email === normaliseEmail(email));
  return entry ? totpCode(entry.secret, now) : null;
}
