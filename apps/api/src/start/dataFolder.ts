import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";

/** What the data folder holds; each is readable by the product's OS user only (OPS-2). */
const privateParts = ["postgres", "s3", "mail", "secrets"] as const;

/**
 * Makes the data folder owner-only (OPS-2). Run as root, the embedded PostgreSQL runs as its own
 * OS user, which must pass through the folder to reach its cluster: the folder is then 0711
 * (enter, not list) and each part in it is 0700, so no other user reads files, mail or secrets.
 */
export async function makeDataFolderPrivate(dataDir: string): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, asRoot ? 0o711 : 0o700);
  for (const part of privateParts) {
    // The cluster's folder belongs to PostgreSQL's user, which initdb makes 0700 itself.
    if (part === "postgres") continue;
    await mkdir(join(dataDir, part), { recursive: true, mode: 0o700 });
    await chmod(join(dataDir, part), 0o700);
  }
}
