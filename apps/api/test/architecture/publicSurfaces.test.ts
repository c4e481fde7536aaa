import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// tRPC's private internals (`unstable-core-do-not-import`, files under its `dist/`) change without
// notice between patch releases; the code uses its public entry points only, so its versions can
// float on a caret range.

const root = resolve(import.meta.dirname, "../../../..");
const scanned = ["apps", "packages"];
const skippedFolders = new Set(["node_modules", "dist", "build", "coverage", ".turbo", ".vite"]);
const sourceFile = /\.(?:[cm]?[jt]sx?)$/;

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) files.push(...sourceFiles(join(folder, entry.name)));
    } else if (sourceFile.test(entry.name)) files.push(join(folder, entry.name));
  }
  return files;
}

// A module specifier of a tRPC package in quotes: import/export … from, import(), require(), vi.mock().
const trpcSpecifier = /["'`](@trpc\/[^"'`\s]+)["'`]/g;

/** The tRPC module specifiers of `text` that reach past the packages' public entry points. */
function privateTrpcImports(text: string): string[] {
  const found: string[] = [];
  for (const [, specifier] of text.matchAll(trpcSpecifier)) {
    if (/unstable-core|\/dist(?:\/|$)|\/src(?:\/|$)/.test(specifier as string))
      found.push(specifier as string);
  }
  return found;
}

describe("public surfaces", () => {
  it("the scan recognises a private tRPC import in every form it can take", () => {
    const core = `@trpc/server/${"unstable-core"}-do-not-import`;
    const samples = [
      `import { isObject } from "${core}";`,
      `import type { AnyProcedure } from '${core}';`,
      `export { x } from "${core}";`,
      `const m = await import("${core}");`,
      `const m = require("@trpc/client/${"dist"}/links/httpLink.js");`,
      `vi.mock("@trpc/server/${"dist"}/index.mjs");`,
    ];
    for (const sample of samples) expect(privateTrpcImports(sample), sample).toHaveLength(1);
    expect(privateTrpcImports(`import { TRPCError } from "@trpc/server";`)).toEqual([]);
    expect(privateTrpcImports(`import { getHTTPStatusCode } from "@trpc/server/http";`)).toEqual([]);
    expect(privateTrpcImports(`import { httpLink } from "@trpc/client";`)).toEqual([]);
  });

  it("nothing under apps/ or packages/ imports tRPC's private internals (unstable-core, dist/)", () => {
    const files = scanned.flatMap((folder) => sourceFiles(join(root, folder)));
    // The scan reads the workspaces' sources, among them the files that use tRPC publicly.
    expect(files.length).toBeGreaterThan(100);
    const usingTrpc = files.filter((file) => readFileSync(file, "utf8").includes('"@trpc/server'));
    expect(usingTrpc.map((file) => relative(root, file))).toContain("apps/api/src/trpc.ts");
    const offenders = files.flatMap((file) =>
      privateTrpcImports(readFileSync(file, "utf8")).map(
        (specifier) => `${relative(root, file)}: ${specifier}`,
      ),
    );
    expect(offenders).toEqual([]);
  });
});
