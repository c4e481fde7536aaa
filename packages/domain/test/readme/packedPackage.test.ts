/// <reference types="node" />
/**
 * Other products reuse the domain as a package, so the package itself is tested as they get it:
 * `npm pack -w @clinic-chat/domain` (which builds dist/ first), installed from the tarball into a
 * scratch project outside the workspace, where plain `node` runs the README's example (the same
 * `example.ts` the README quotes) and `tsc` with Node's own module resolution checks it against
 * the shipped declarations.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");

/** The environment of a child that must not inherit this npm run's settings or the test runner's loaders. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "NODE_OPTIONS"),
  );
}

interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

let temp = "";
let packed: PackResult;
let scratch = "";

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "clinic-chat-domain-pack-"));
  const { stdout } = await run(
    "npm",
    ["pack", "-w", "@clinic-chat/domain", "--pack-destination", temp, "--json", "--silent"],
    { cwd: repoRoot, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 },
  );
  packed = (JSON.parse(stdout) as PackResult[])[0]!;
  scratch = join(temp, "scratch");
  await mkdir(scratch);
  await writeFile(
    join(scratch, "package.json"),
    JSON.stringify({ name: "scratch", private: true, type: "module" }),
  );
  await run("npm", ["install", join(temp, packed.filename), "--offline", "--no-audit", "--no-fund"], {
    cwd: scratch,
    env: cleanEnv(),
  });
  await copyFile(join(here, "example.ts"), join(scratch, "example.ts"));
}, 180_000);

afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

describe("the packed domain package", () => {
  it("ships compiled JavaScript with type declarations for both entry points, and no sources", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/testing/index.js",
        "dist/testing/index.d.ts",
      ]),
    );
    expect(paths.filter((p) => p !== "package.json" && p !== "README.md" && !p.startsWith("dist/"))).toEqual(
      [],
    );
    expect(paths.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))).toEqual([]);
  });

  it("ARCH-a: has no runtime dependencies of any kind", async () => {
    const manifest = JSON.parse(
      await readFile(join(scratch, "node_modules/@clinic-chat/domain/package.json"), "utf8"),
    ) as Record<string, unknown>;
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "bundledDependencies"])
      expect(manifest[field], field).toBeUndefined();
  });

  it("START-1/MSG-1/NOTIF-1: plain node runs the README's example against the installed package", async () => {
    await writeFile(
      join(scratch, "run.mjs"),
      [
        'const { conversation, message, uow, outbox } = await import("./example.ts");',
        "console.log(JSON.stringify({",
        '  resolved: [import.meta.resolve("@clinic-chat/domain"), import.meta.resolve("@clinic-chat/domain/testing")],',
        "  conversation, message, outbox,",
        "  recipients: uow.scheduledTimers().map((t) => t.timer.recipient),",
        "}));",
      ].join("\n"),
    );
    const { stdout } = await run(process.execPath, ["run.mjs"], { cwd: scratch, env: cleanEnv() });
    const result = JSON.parse(stdout) as {
      resolved: string[];
      conversation: Record<string, unknown>;
      message: Record<string, unknown>;
      outbox: string[];
      recipients: unknown[];
    };
    expect(result.resolved.map((url) => relative(scratch, fileURLToPath(url)))).toEqual([
      join("node_modules/@clinic-chat/domain/dist/index.js"),
      join("node_modules/@clinic-chat/domain/dist/testing/index.js"),
    ]);
    expect(result.conversation).toMatchObject({ kind: "patient", clinicId: "clinic-1", patientId: "ana" });
    expect(result.message).toMatchObject({
      conversationId: result.conversation.id,
      seq: 1,
      clientId: "msg-1",
      sender: { kind: "staff", id: "dr-lee" },
      body: { kind: "text", text: "Your lab results are ready." },
    });
    expect(result.recipients).toEqual([{ kind: "patient", id: "ana" }]);
    expect(result.outbox).toEqual([]);
  });

  it("the README's example typechecks against the shipped declarations with Node's module resolution", async () => {
    await writeFile(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2024",
          lib: ["ES2024"],
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ["example.ts"],
      }),
    );
    const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
    const { stdout } = await run(process.execPath, [tsc, "-p", "tsconfig.json"], {
      cwd: scratch,
      env: cleanEnv(),
    });
    expect(stdout).toBe("");
  });
});
