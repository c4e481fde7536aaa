import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDataFolderPrivate } from "../src/start/dataFolder";

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe("the data folder", () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it("OPS-2: is owner-only, and so are its files, mail and secrets, also when they existed world-readable", async () => {
    const root = await mkdtemp(join(tmpdir(), "clinic-chat-data-"));
    roots.push(root);
    const dataDir = join(root, "data");
    // An installation from before: everything readable by every local user.
    await mkdir(join(dataDir, "s3"), { recursive: true, mode: 0o755 });
    await mkdir(join(dataDir, "mail"), { mode: 0o755 });
    await writeFile(join(dataDir, "mail", "message.eml"), "x", { mode: 0o644 });

    await makeDataFolderPrivate(dataDir);

    // Run as root, the folder stays passable for the embedded PostgreSQL's own OS user, never listable.
    expect(await modeOf(dataDir)).toBe(process.getuid?.() === 0 ? 0o711 : 0o700);
    for (const part of ["s3", "mail", "secrets"]) expect(await modeOf(join(dataDir, part))).toBe(0o700);
    // Running again changes nothing and fails on nothing.
    await makeDataFolderPrivate(dataDir);
    expect(await modeOf(join(dataDir, "secrets"))).toBe(0o700);
  });
});
