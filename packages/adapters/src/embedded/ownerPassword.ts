import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import postgres from "postgres";

// Data folders initialised before the password was random have this one until a start rotates it.
const legacyPassword = "postgres";

/**
 * The embedded superuser's password, random per data folder (OPS-2): any local process can reach
 * the loopback port, none but the folder's owner can read the file. It lives beside the cluster's
 * folder (`<folder>.owner-password`), because initdb only initialises an empty folder.
 */
export interface OwnerPassword {
  /** The password to give initdb and to connect with. */
  readonly password: string;
  /** After the server started: makes a folder still on the legacy password private. */
  settle(connectUrl: (password: string) => string, user: string): Promise<string>;
}

async function readText(file: string): Promise<string | null> {
  const text = await readFile(file, "utf8").catch(() => null);
  return text ? text.trim() : null;
}

/** Writes next to the file and renames: a crash leaves either the old file or the new one whole. */
async function keep(file: string, password: string): Promise<void> {
  await writeFile(`${file}.new`, password, { mode: 0o600 });
  await rename(`${file}.new`, file);
}

function newPassword(): string {
  return randomBytes(24).toString("base64url");
}

/** The password for the cluster in `directory`, made and kept before a first initialisation. */
export async function ownerPasswordOf(directory: string, initialised: boolean): Promise<OwnerPassword> {
  const file = `${directory}.owner-password`;
  const kept = await readText(file);
  if (kept && initialised) return { password: kept, settle: async () => kept };
  if (!initialised) {
    const password = newPassword();
    await keep(file, password);
    return { password, settle: async () => password };
  }
  return {
    password: legacyPassword,
    // The new password is written before the role gets it, so a crash between the two steps
    // leaves it on disk for the next start to try.
    settle: async (connectUrl, user) => {
      const pending = (await readText(`${file}.new`)) ?? newPassword();
      await writeFile(`${file}.new`, pending, { mode: 0o600 });
      let lastError: unknown;
      for (const candidate of [legacyPassword, pending]) {
        const sql = postgres(connectUrl(candidate), { max: 1, onnotice: () => undefined });
        try {
          // The password is base64url: no quote can end the literal.
          await sql.unsafe(`alter role ${user} password '${pending}'`);
          await rename(`${file}.new`, file);
          return pending;
        } catch (error) {
          lastError = error;
        } finally {
          await sql.end();
        }
      }
      throw new Error("the embedded PostgreSQL's superuser password could not be made private", {
        cause: lastError,
      });
    },
  };
}
