import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The application role's database password: from the environment when given, otherwise made once
 * and kept in the data folder (readable by this user only), so every process of one installation
 * connects with the same one.
 */
export async function appDatabasePassword(dataDir: string, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  const folder = join(dataDir, "secrets");
  const file = join(folder, "database-app-password");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const password = randomBytes(24).toString("base64url");
    // "wx": two processes starting together cannot overwrite each other's password.
    await writeFile(file, password, { mode: 0o600, flag: "wx" }).catch(() => undefined);
    return (await readFile(file, "utf8")).trim();
  }
}

/** `url` with another user and password (the application role instead of the owner). */
export function withUser(url: string, user: string, password: string): string {
  const next = new URL(url);
  next.username = encodeURIComponent(user);
  next.password = encodeURIComponent(password);
  return next.toString();
}
