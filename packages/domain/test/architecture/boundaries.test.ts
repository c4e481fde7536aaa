/// <reference types="node" />
/**
 * The dependency rules of ARCHITECTURE.md ("The four workspaces") as tests, not lint rules:
 * ARCH-a the domain package has no runtime dependencies; ARCH-b its sources import only each other
 * and take time, randomness and I/O from ports; ARCH-c the web app reaches the API and the
 * adapters through `import type` only. Each check also runs on a fixture repository under
 * `fixtures/repo` whose bad lines are marked `expect-violation`, to prove the checker reports
 * exactly those lines.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  checkDomainManifest,
  checkDomainSources,
  checkWebSources,
  moduleReferences,
  sourceFiles,
  type Violation,
} from "./sourceScanner";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");
const fixtureRoot = join(here, "fixtures/repo");

const where = (violations: readonly Violation[]) => violations.map((v) => `${v.file}:${v.line}`).sort();

/** The lines of the fixture files under `dir` that carry the `expect-violation` marker. */
function markedLines(root: string, dir: string): string[] {
  return sourceFiles(join(root, dir))
    .flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((text, i) =>
          text.includes("// expect-violation")
            ? [`${relative(root, file).split(sep).join("/")}:${i + 1}`]
            : [],
        ),
    )
    .sort();
}

describe("ARCH-a: the domain package has no runtime dependencies", () => {
  it("ARCH-a: packages/domain/package.json declares no dependencies, peer, optional or bundled dependencies", () => {
    expect(checkDomainManifest(repoRoot)).toEqual([]);
  });

  it("ARCH-a: the checker reports each kind of dependency a manifest gains (dev dependencies and empty maps are fine)", () => {
    expect(checkDomainManifest(fixtureRoot).map((v) => v.message)).toEqual([
      "has dependencies",
      "has peerDependencies",
      "has bundledDependencies",
    ]);
  });
});

describe("ARCH-b: domain sources import only each other and do no I/O of their own", () => {
  it("ARCH-b: packages/domain/src keeps the rule", () => {
    const violations = checkDomainSources(repoRoot);
    expect(violations.map((v) => `${v.file}:${v.line} ${v.message}`)).toEqual([]);
  });

  it('ARCH-b: the scanner sees every `from "…"` and `import("…")` of the real sources (it is not blind)', () => {
    const files = sourceFiles(join(repoRoot, "packages/domain/src"));
    expect(files.length).toBeGreaterThan(20);
    let total = 0;
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      const seen = new Set(moduleReferences(source).map((r) => r.specifier));
      const written = [...source.matchAll(/\bfrom\s+"([^"]+)"|\bimport\("([^"]+)"\)/g)].map(
        (m) => m[1] ?? m[2],
      );
      for (const specifier of written) expect(seen, `${file}: ${specifier}`).toContain(specifier);
      total += written.length;
    }
    expect(total).toBeGreaterThan(100);
  });

  it("ARCH-b: the checker reports exactly the marked lines of the fixture (bare, node:, type-only and escaping imports, require, non-literal import(), clock, randomness, globals)", () => {
    const violations = checkDomainSources(fixtureRoot);
    expect(where(violations)).toEqual(markedLines(fixtureRoot, "packages/domain/src"));
    expect(markedLines(fixtureRoot, "packages/domain/src").length).toBeGreaterThanOrEqual(27);
  });

  it("ARCH-b: the fixture's violations say what is wrong", () => {
    const messages = checkDomainSources(fixtureRoot).map((v) => v.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'imports "zod" from outside the domain',
        'imports "node:fs/promises" from outside the domain',
        'imports "../secret" from outside packages/domain/src',
        "dynamic-import without a literal specifier",
        "uses Date.now()",
        "uses new Date() without arguments",
        "uses Math.random()",
        "uses process",
        "uses globalThis",
      ]),
    );
  });
});

describe("ARCH-c: the web app imports the API and the adapters only with `import type`", () => {
  it("ARCH-c: apps/web/src keeps the rule (nothing to check while it does not exist)", () => {
    expect(checkWebSources(repoRoot)).toEqual([]);
  });

  it("ARCH-c: the checker reports exactly the marked lines of the fixture web app (packages, subpaths, relative paths, inline `type`, side-effect, re-export, import())", () => {
    const violations = checkWebSources(fixtureRoot);
    expect(where(violations)).toEqual(markedLines(fixtureRoot, "apps/web/src"));
    expect(markedLines(fixtureRoot, "apps/web/src")).toHaveLength(11);
  });
});

describe("ARCH-b/ARCH-c: how the scanner reads module references", () => {
  const refs = (source: string) =>
    moduleReferences(source).map((r) => ({ specifier: r.specifier, typeOnly: r.typeOnly, kind: r.kind }));

  it("ARCH-c: only `import type` / `export type` are type-only; an inline `type` specifier still loads the module", () => {
    expect(
      refs(
        [
          'import type { A } from "a";',
          'import type * as B from "b";',
          'import type C from "c";',
          'import { type D } from "d";',
          'import type from "e";',
          'import type, { f } from "f";',
          'export type { G } from "g";',
          'export type * from "h";',
          'export { type I } from "i";',
        ].join("\n"),
      ),
    ).toEqual([
      { specifier: "a", typeOnly: true, kind: "import" },
      { specifier: "b", typeOnly: true, kind: "import" },
      { specifier: "c", typeOnly: true, kind: "import" },
      { specifier: "d", typeOnly: false, kind: "import" },
      { specifier: "e", typeOnly: false, kind: "import" },
      { specifier: "f", typeOnly: false, kind: "import" },
      { specifier: "g", typeOnly: true, kind: "export" },
      { specifier: "h", typeOnly: true, kind: "export" },
      { specifier: "i", typeOnly: false, kind: "export" },
    ]);
  });

  it("ARCH-b: multi-line imports, import-equals, require and import() are all read; local exports and namespace aliases are not imports", () => {
    expect(
      refs(
        [
          "import {",
          "  a,",
          "  b,",
          '} from "multi";',
          'import x = require("eq");',
          "import Alias = Some.Namespace;",
          'const y = require("cjs");',
          'const z = await import("dyn");',
          "const w = await import(name);",
          "export { a, b };",
          "export const q = 1;",
          "export default q;",
        ].join("\n"),
      ),
    ).toEqual([
      { specifier: "multi", typeOnly: false, kind: "import" },
      { specifier: "eq", typeOnly: false, kind: "import-equals" },
      { specifier: "cjs", typeOnly: false, kind: "require" },
      { specifier: "dyn", typeOnly: false, kind: "dynamic-import" },
      { specifier: null, typeOnly: false, kind: "dynamic-import" },
    ]);
  });

  it("ARCH-b: text in comments, strings, templates and regular expressions is not code", () => {
    const source = [
      '// import a from "c1";',
      '/* import b from "c2"; */',
      "const s = 'import c from \"s1\"';",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal, on purpose
      'const t = `import d from "t1" ${1 / 2} import("t2")`;',
      'const r = /import e from "r1"/;',
      'const ok = 1; import f from "real";',
    ].join("\n");
    expect(refs(source)).toEqual([{ specifier: "real", typeOnly: false, kind: "import" }]);
    expect(moduleReferences(source)[0]!.line).toBe(6);
  });
});
