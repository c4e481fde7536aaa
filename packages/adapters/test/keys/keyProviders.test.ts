import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openKeyFileProvider } from "../../src/keys/keyFileProvider";
import { createKmsKeyProvider } from "../../src/keys/kmsKeyProvider";
import { keyProviderContract } from "../contract/keyProvider.contract";
import { type KmsStandIn, startKmsStandIn } from "./kmsStandIn";

let folder: string;
let kms: KmsStandIn;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "clinic-chat-keys-"));
  kms = await startKmsStandIn();
});
afterAll(async () => {
  await kms?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const kmsOptions = (keyId: string, earlierKeyIds: string[] = []) => ({
  keyId,
  earlierKeyIds,
  region: "eu-west-1",
  endpoint: kms.url,
  credentials: { accessKeyId: "AKIDSTANDIN", secretAccessKey: "stand-in-secret" },
});

keyProviderContract("in memory", async () => inMemoryKeyProvider());
keyProviderContract("key file", () =>
  openKeyFileProvider(join(folder, `${randomBytes(4).toString("hex")}.json`)),
);
keyProviderContract("AWS KMS (local stand-in)", async () =>
  createKmsKeyProvider(kmsOptions("alias/clinic-chat")),
);

describe("key file", () => {
  it("REC-1: is created owner-only (0600) and names one current key", async () => {
    const path = join(folder, "made", "kek.json");
    const provider = await openKeyFileProvider(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(path, "utf8"));
    expect(Object.keys(file.keys)).toEqual([await provider.currentKeyId()]);
  });

  it("REC-1: a key file others may read is refused with a sentence that names the fix", async () => {
    const path = join(folder, "wide.json");
    await openKeyFileProvider(path);
    await chmod(path, 0o644);
    await expect(openKeyFileProvider(path)).rejects.toThrow(/may be read by others.*chmod 600/);
  });

  it("REC-1: a retired key leaves the file, and what it wrapped no longer unwraps", async () => {
    const path = join(folder, "retire.json");
    const provider = await openKeyFileProvider(path);
    const earlier = await provider.currentKeyId();
    const wrapped = await provider.wrap(randomBytes(32), "clinic-key/a");
    await provider.rotate();
    await provider.retire(earlier);
    expect(Object.keys(JSON.parse(await readFile(path, "utf8")).keys)).not.toContain(earlier);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await expect(provider.unwrap(wrapped, "clinic-key/a")).rejects.toThrow();
  });

  it("REC-1: another process sharing the file follows a rotation made by the first", async () => {
    const path = join(folder, "shared.json");
    const first = await openKeyFileProvider(path);
    const second = await openKeyFileProvider(path);
    const current = await first.rotate();
    const key = randomBytes(32);
    const wrapped = await first.wrap(key, "clinic-key/a");
    expect(Buffer.from(await second.unwrap(wrapped, "clinic-key/a"))).toEqual(key);
    expect((await second.wrap(key, "clinic-key/a")).keyId).toBe(current);
  });

  it("refuses a file that names no current key", async () => {
    const path = join(folder, "broken.json");
    await writeFile(path, JSON.stringify({ current: "x", keys: {} }), { mode: 0o600 });
    await expect(openKeyFileProvider(path)).rejects.toThrow(/names no current/);
  });
});

describe("AWS KMS", () => {
  it("REC-1: wraps with Encrypt and unwraps with Decrypt, naming the key and the context as the encryption context", async () => {
    const provider = createKmsKeyProvider(kmsOptions("alias/shapes"));
    kms.requests.length = 0;
    const key = randomBytes(32);
    const wrapped = await provider.wrap(key, "clinic-key/c1");
    await provider.unwrap(wrapped, "clinic-key/c1");
    await provider.rotate();
    expect(kms.requests.map((r) => r.target)).toEqual([
      "TrentService.Encrypt",
      "TrentService.Decrypt",
      "TrentService.RotateKeyOnDemand",
    ]);
    const [encrypt, decrypt, rotate] = kms.requests;
    expect(encrypt?.contentType).toBe("application/x-amz-json-1.1");
    expect(encrypt?.signed).toBe(true);
    expect(encrypt?.body).toEqual({
      KeyId: "alias/shapes",
      Plaintext: key.toString("base64"),
      EncryptionContext: { purpose: "clinic-key/c1" },
    });
    expect(decrypt?.body).toEqual({
      KeyId: "alias/shapes",
      CiphertextBlob: Buffer.from(wrapped.bytes).toString("base64"),
      EncryptionContext: { purpose: "clinic-key/c1" },
    });
    expect(rotate?.body).toEqual({ KeyId: "alias/shapes" });
  });

  it("REC-1: a move to another key: the earlier key still unwraps until retired here", async () => {
    const old = createKmsKeyProvider(kmsOptions("alias/old"));
    const key = randomBytes(32);
    const wrapped = await old.wrap(key, "clinic-key/c1");
    const moved = createKmsKeyProvider(kmsOptions("alias/new", ["alias/old"]));
    expect(Buffer.from(await moved.unwrap(wrapped, "clinic-key/c1"))).toEqual(key);
    await moved.retire("alias/old");
    await expect(moved.unwrap(wrapped, "clinic-key/c1")).rejects.toThrow(/not configured/);
  });
});
