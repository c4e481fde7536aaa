import { randomBytes } from "node:crypto";
import { chmod, mkdir, open as openFile, readFile, rename, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { KeyProvider } from "@clinic-chat/domain/keys";
import { open, seal } from "./sealing";

/** The key file's content: the key-encryption keys by id, and which one wraps now. */
interface KeyFile {
  readonly current: string;
  readonly keys: Record<string, string>;
}

/**
 * The embedded default {@link KeyProvider} (REC-1): key-encryption keys in one JSON file that only
 * its owner may read (created 0600). A file whose mode lets anyone else read or write it is
 * refused, since whoever reads it reads every clinic's records. Other processes that share the
 * file see a rotation when they meet a key id they do not know, and read the file again.
 */
export async function openKeyFileProvider(path: string): Promise<KeyProvider> {
  let file = await readOrCreate(path);
  const keyOf = async (keyId: string): Promise<Buffer> => {
    if (!(keyId in file.keys)) file = await readKeyFile(path);
    const key = file.keys[keyId];
    if (key === undefined) throw new Error(`the key-encryption key ${keyId} is not in the key file`);
    return Buffer.from(key, "base64");
  };
  return {
    async currentKeyId() {
      return file.current;
    },
    async wrap(key, context) {
      // Wrapping is rare (a clinic's first key, a rotation): read the file, so a rotation made by
      // another process is followed before its earlier key is retired.
      file = await readKeyFile(path);
      const keyId = file.current;
      return { keyId, bytes: seal(await keyOf(keyId), key, context) };
    },
    async unwrap(wrapped, context) {
      return open(await keyOf(wrapped.keyId), wrapped.bytes, context);
    },
    async rotate() {
      file = await readKeyFile(path);
      const keyId = newKeyId();
      file = { current: keyId, keys: { ...file.keys, [keyId]: randomBytes(32).toString("base64") } };
      await writeKeyFile(path, file);
      return keyId;
    },
    async retire(keyId) {
      file = await readKeyFile(path);
      if (keyId === file.current) throw new Error("the current key-encryption key cannot be retired");
      const { [keyId]: _retired, ...keys } = file.keys;
      file = { current: file.current, keys };
      await writeKeyFile(path, file);
    },
  };
}

function newKeyId(): string {
  return `kek-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString("hex")}`;
}

async function readOrCreate(path: string): Promise<KeyFile> {
  try {
    return await readKeyFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const keyId = newKeyId();
  const created: KeyFile = { current: keyId, keys: { [keyId]: randomBytes(32).toString("base64") } };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    // `wx`: of two processes starting at once, one creates the file and the other reads it.
    const handle = await openFile(path, "wx", 0o600);
    try {
      await handle.writeFile(JSON.stringify(created));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readKeyFile(path);
  }
}

async function readKeyFile(path: string): Promise<KeyFile> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `The key file ${path} may be read by others than its owner (mode ${(mode & 0o777).toString(8)}); make it owner-only with chmod 600 ${path}, then start again.`,
    );
  }
  const parsed = JSON.parse(await readFile(path, "utf8")) as KeyFile;
  if (typeof parsed.current !== "string" || typeof parsed.keys?.[parsed.current] !== "string") {
    throw new Error(`The key file ${path} names no current key-encryption key.`);
  }
  return parsed;
}

/** Replaces the file whole: a crash leaves the old file or the new one, never half of one. */
async function writeKeyFile(path: string, file: KeyFile): Promise<void> {
  const next = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await openFile(next, "wx", 0o600);
  try {
    await handle.writeFile(JSON.stringify(file));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(next, 0o600);
  await rename(next, path);
}
