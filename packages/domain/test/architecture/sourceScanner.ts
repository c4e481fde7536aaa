/// <reference types="node" />
/**
 * A small, dependency-free scanner for the architecture tests: it tokenises TypeScript well enough
 * to tell code from comments, strings, template literals and regular expressions, then reads the
 * module specifiers of every import, export-from, import-equals, require() and dynamic import(),
 * and the uses of ambient I/O (clock, randomness, process, globalThis) that the domain must not
 * touch. It errs on the side of reporting: anything it cannot read as a literal specifier is a
 * violation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

type TokenType = "id" | "str" | "num" | "punct" | "regex" | "template";
interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly line: number;
}

/** One module reference found in a file. */
export interface ModuleReference {
  /** The specifier, or null when it is not a string literal (e.g. `import(name)`). */
  readonly specifier: string | null;
  /** True only for `import type …` and `export type … from`: erased entirely at compile time. */
  readonly typeOnly: boolean;
  readonly kind: "import" | "export" | "import-equals" | "require" | "dynamic-import";
  readonly line: number;
}

/** One broken rule, with where it was found. */
export interface Violation {
  /** Path relative to the checked repository root, with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const keywordsBeforeExpression = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);
const idStart = /[\p{ID_Start}$_]/u;
const idPart = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Splits source text into tokens, dropping white space and comments. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  /** "{" for a brace, "${" for a template substitution: tells a "}" which one it closes. */
  const braces: string[] = [];
  let i = 0;
  let line = 1;
  const push = (type: TokenType, value: string, atLine: number) => tokens.push({ type, value, line: atLine });
  const countLines = (text: string) => {
    for (const ch of text) if (ch === "\n") line++;
  };

  /** Reads template characters from `i` up to the closing backtick or a `${`. */
  const readTemplate = () => {
    const startLine = line;
    let text = "";
    while (i < source.length) {
      const ch = source[i]!;
      if (ch === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (ch === "`") {
        i++;
        push("template", text, startLine);
        countLines(text);
        return;
      }
      if (ch === "$" && source[i + 1] === "{") {
        i += 2;
        push("template", text, startLine);
        countLines(text);
        braces.push("${");
        push("punct", "${", line);
        return;
      }
      text += ch;
      i++;
    }
    throw new Error(`unterminated template literal at line ${startLine}`);
  };

  const regexAllowed = (): boolean => {
    const prev = tokens.at(-1);
    if (!prev) return true;
    if (prev.type === "id") return keywordsBeforeExpression.has(prev.value);
    if (prev.type === "punct") return ![")", "]", "}"].includes(prev.value);
    return false;
  };

  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === "\n") {
      line++;
      i++;
    } else if (/\s/.test(ch)) {
      i++;
    } else if (ch === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (ch === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) throw new Error(`unterminated comment at line ${line}`);
      countLines(source.slice(i, end + 2));
      i = end + 2;
    } else if (ch === '"' || ch === "'") {
      const startLine = line;
      let j = i + 1;
      let value = "";
      while (j < source.length && source[j] !== ch) {
        if (source[j] === "\n") throw new Error(`unterminated string at line ${startLine}`);
        if (source[j] === "\\") {
          value += source.slice(j, j + 2);
          j += 2;
        } else {
          value += source[j];
          j++;
        }
      }
      if (j >= source.length) throw new Error(`unterminated string at line ${startLine}`);
      push("str", value, startLine);
      countLines(value);
      i = j + 1;
    } else if (ch === "`") {
      i++;
      readTemplate();
    } else if (ch === "}" && braces.at(-1) === "${") {
      braces.pop();
      push("punct", "}", line);
      i++;
      readTemplate();
    } else if (ch === "/" && regexAllowed()) {
      const startLine = line;
      let j = i + 1;
      let inClass = false;
      while (j < source.length) {
        const c = source[j]!;
        if (c === "\n") throw new Error(`unterminated regular expression at line ${startLine}`);
        if (c === "\\") j += 2;
        else {
          if (c === "[") inClass = true;
          else if (c === "]") inClass = false;
          else if (c === "/" && !inClass) break;
          j++;
        }
      }
      j++;
      while (j < source.length && /[a-z]/i.test(source[j]!)) j++;
      push("regex", source.slice(i, j), startLine);
      i = j;
    } else if (/[0-9]/.test(ch) || (ch === "." && next !== undefined && /[0-9]/.test(next))) {
      let j = i + 1;
      while (j < source.length && /[0-9A-Za-z_.]/.test(source[j]!)) j++;
      push("num", source.slice(i, j), line);
      i = j;
    } else if (idStart.test(ch) || ch === "\\") {
      let j = i + 1;
      while (j < source.length && idPart.test(source[j]!)) j++;
      push("id", source.slice(i, j), line);
      i = j;
    } else if (ch === "?" && next === "." && !/[0-9]/.test(source[i + 2] ?? "")) {
      push("punct", "?.", line);
      i += 2;
    } else {
      // Surrogate pairs (astral characters in identifiers are not expected) and punctuation.
      if (ch === "{") braces.push("{");
      else if (ch === "}") braces.pop();
      push("punct", ch, line);
      i++;
    }
  }
  return tokens;
}

const isDot = (t: Token | undefined) => t?.type === "punct" && (t.value === "." || t.value === "?.");
const isPunct = (t: Token | undefined, value: string) => t?.type === "punct" && t.value === value;
const isId = (t: Token | undefined, value: string) => t?.type === "id" && t.value === value;

/** Every module reference of a source file. */
export function moduleReferences(source: string): ModuleReference[] {
  const tokens = tokenize(source);
  const refs: ModuleReference[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== "id" || isDot(tokens[i - 1])) continue;
    if (t.value === "import") {
      const next = tokens[i + 1];
      if (isPunct(next, "(")) {
        const arg = tokens[i + 2];
        const after = tokens[i + 3];
        const literal = arg?.type === "str" && (isPunct(after, ")") || isPunct(after, ","));
        refs.push({
          specifier: literal ? arg.value : null,
          typeOnly: false,
          kind: "dynamic-import",
          line: t.line,
        });
        continue;
      }
      if (isDot(next)) continue; // import.meta
      if (next?.type === "str") {
        refs.push({ specifier: next.value, typeOnly: false, kind: "import", line: t.line });
        continue;
      }
      const afterType = tokens[i + 2];
      const typeOnly = isId(next, "type") && !isId(afterType, "from") && !isPunct(afterType, ",");
      let specifier: string | null = null;
      let kind: ModuleReference["kind"] = "import";
      let aliasOfNamespace = false;
      let end = i;
      for (let j = i + 1; j < tokens.length && j < i + 1000; j++) {
        const u = tokens[j]!;
        if (isPunct(u, ";")) break;
        if (isPunct(u, "=")) {
          // `import x = require("y")` loads a module; `import x = Some.Namespace` does not.
          const arg = tokens[j + 3];
          if (isId(tokens[j + 1], "require") && isPunct(tokens[j + 2], "(") && arg?.type === "str") {
            specifier = arg.value;
            kind = "import-equals";
            end = j + 3;
          } else aliasOfNamespace = true;
          break;
        }
        if (isId(u, "from") && tokens[j + 1]?.type === "str") {
          specifier = tokens[j + 1]!.value;
          break;
        }
      }
      if (!aliasOfNamespace) refs.push({ specifier, typeOnly, kind, line: t.line });
      i = end;
    } else if (t.value === "export") {
      let j = i + 1;
      const typeOnly =
        isId(tokens[j], "type") && (isPunct(tokens[j + 1], "{") || isPunct(tokens[j + 1], "*"));
      if (typeOnly) j++;
      if (isPunct(tokens[j], "{")) {
        let depth = 0;
        for (; j < tokens.length; j++) {
          if (isPunct(tokens[j], "{")) depth++;
          else if (isPunct(tokens[j], "}")) {
            depth--;
            if (depth === 0) break;
          }
        }
      } else if (isPunct(tokens[j], "*")) {
        if (isId(tokens[j + 1], "as")) j += 2;
      } else {
        continue;
      }
      if (isId(tokens[j + 1], "from")) {
        const spec = tokens[j + 2];
        refs.push({
          specifier: spec?.type === "str" ? spec.value : null,
          typeOnly,
          kind: "export",
          line: t.line,
        });
      }
    } else if (t.value === "require" && isPunct(tokens[i + 1], "(")) {
      const arg = tokens[i + 2];
      refs.push({
        specifier: arg?.type === "str" ? arg.value : null,
        typeOnly: false,
        kind: "require",
        line: t.line,
      });
    }
  }
  return refs;
}

/** True for `name` in `{ name: … }` or `, name: …`: a property key, not the global. */
function isObjectKey(tokens: readonly Token[], i: number): boolean {
  return isPunct(tokens[i + 1], ":") && (isPunct(tokens[i - 1], "{") || isPunct(tokens[i - 1], ","));
}

/** Uses of the clock, randomness and host globals: the domain gets time and ids from its ports. */
export function ambientIo(source: string): { line: number; what: string }[] {
  const tokens = tokenize(source);
  const found: { line: number; what: string }[] = [];
  const member = (i: number, object: string, property: string) =>
    isId(tokens[i], object) && isDot(tokens[i + 1]) && isId(tokens[i + 2], property);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== "id" || isDot(tokens[i - 1])) continue;
    const next = tokens[i + 1];
    if (member(i, "Date", "now")) found.push({ line: t.line, what: "Date.now()" });
    else if (t.value === "Date" && isId(tokens[i - 1], "new")) {
      if (!isPunct(next, "(") || isPunct(tokens[i + 2], ")"))
        found.push({ line: t.line, what: "new Date() without arguments" });
    } else if (t.value === "Date" && isPunct(next, "(")) found.push({ line: t.line, what: "Date()" });
    else if (member(i, "Math", "random")) found.push({ line: t.line, what: "Math.random()" });
    else if (t.value === "process" && (isDot(next) || isPunct(next, "[")))
      found.push({ line: t.line, what: "process" });
    else if (t.value === "globalThis" && !isObjectKey(tokens, i))
      found.push({ line: t.line, what: "globalThis" });
    else if (["crypto", "performance", "window", "document", "navigator"].includes(t.value) && isDot(next))
      found.push({ line: t.line, what: t.value });
    else if (
      ["fetch", "setTimeout", "setInterval", "setImmediate", "queueMicrotask"].includes(t.value) &&
      isPunct(next, "(") &&
      !isId(tokens[i - 1], "function")
    )
      found.push({ line: t.line, what: `${t.value}()` });
  }
  return found;
}

const sourceExtensions = /\.(?:[cm]?[jt]sx?)$/;

/** Every source file under `dir`, recursively; none when `dir` does not exist. */
export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const result: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) result.push(...sourceFiles(path));
    else if (sourceExtensions.test(entry) && !entry.endsWith(".d.ts")) result.push(path);
  }
  return result.sort();
}

const isRelative = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../");
const inside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
};
const posix = (path: string) => path.split(sep).join("/");

/** (a) The domain package has no runtime dependencies of any kind. */
export function checkDomainManifest(root: string): Violation[] {
  const path = join(root, "packages/domain/package.json");
  const manifest = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const violations: Violation[] = [];
  for (const field of [
    "dependencies",
    "peerDependencies",
    "optionalDependencies",
    "bundleDependencies",
    "bundledDependencies",
  ]) {
    const value = manifest[field];
    if (value === undefined) continue;
    const count = Array.isArray(value) ? value.length : Object.keys(value as object).length;
    if (count > 0)
      violations.push({ file: "packages/domain/package.json", line: 0, message: `has ${field}` });
  }
  return violations;
}

/** (b) Domain sources import only each other, and do no I/O of their own (no clock, randomness or host globals). */
export function checkDomainSources(root: string): Violation[] {
  const srcDir = join(root, "packages/domain/src");
  const violations: Violation[] = [];
  for (const file of sourceFiles(srcDir)) {
    const source = readFileSync(file, "utf8");
    const at = (line: number, message: string) =>
      violations.push({ file: posix(relative(root, file)), line, message });
    for (const ref of moduleReferences(source)) {
      if (ref.specifier === null) at(ref.line, `${ref.kind} without a literal specifier`);
      else if (ref.kind === "require" || ref.kind === "import-equals")
        at(ref.line, `require of "${ref.specifier}"`);
      else if (!isRelative(ref.specifier)) at(ref.line, `imports "${ref.specifier}" from outside the domain`);
      else if (!inside(srcDir, resolve(dirname(file), ref.specifier)))
        at(ref.line, `imports "${ref.specifier}" from outside packages/domain/src`);
    }
    for (const use of ambientIo(source)) at(use.line, `uses ${use.what}`);
  }
  return violations;
}

/** (c) The web app reaches the API and the adapters only through `import type`. */
export function checkWebSources(root: string): Violation[] {
  const webSrc = join(root, "apps/web/src");
  const serverDirs = [join(root, "apps/api"), join(root, "packages/adapters")];
  const serverPackages = ["@clinic-chat/api", "@clinic-chat/adapters"];
  const violations: Violation[] = [];
  for (const file of sourceFiles(webSrc)) {
    const source = readFileSync(file, "utf8");
    // JSX text and markup are not JavaScript tokens; .tsx files are read with patterns instead.
    const refs = file.endsWith(".tsx") ? jsxModuleReferences(source) : moduleReferences(source);
    for (const ref of refs) {
      const at = (message: string) =>
        violations.push({ file: posix(relative(root, file)), line: ref.line, message });
      if (ref.typeOnly) continue;
      if (ref.specifier === null) {
        if (ref.kind !== "import") at(`${ref.kind} without a literal specifier`);
        else at("import that could not be read");
        continue;
      }
      const spec = ref.specifier;
      if (serverPackages.some((p) => spec === p || spec.startsWith(`${p}/`)))
        at(`runtime ${ref.kind} of server code "${spec}"`);
      else if (isRelative(spec) && serverDirs.some((d) => inside(d, resolve(dirname(file), spec))))
        at(`runtime ${ref.kind} of server code "${spec}"`);
    }
  }
  return violations;
}

/**
 * Module references of a .tsx file, by patterns over the text: static imports and re-exports
 * (type-only when written `import type` / `export type`), side-effect imports, `import()` and
 * `require()`. Looser than the tokenizer, but JSX cannot derail it.
 */
export function jsxModuleReferences(source: string): ModuleReference[] {
  const lineOf = (index: number) => source.slice(0, index).split("\n").length;
  const refs: ModuleReference[] = [];
  for (const m of source.matchAll(/^[ \t]*(import|export)(\s+type)?\s[^;]*?\sfrom\s*["']([^"']+)["']/gm)) {
    refs.push({
      specifier: m[3]!,
      typeOnly: m[2] !== undefined,
      kind: m[1] === "import" ? "import" : "export",
      line: lineOf(m.index),
    });
  }
  for (const m of source.matchAll(/^[ \t]*import\s*["']([^"']+)["']/gm)) {
    refs.push({ specifier: m[1]!, typeOnly: false, kind: "import", line: lineOf(m.index) });
  }
  for (const m of source.matchAll(/\bimport\s*\(\s*(["'][^"']+["'])?/g)) {
    refs.push({
      specifier: m[1] ? m[1].slice(1, -1) : null,
      typeOnly: false,
      kind: "dynamic-import",
      line: lineOf(m.index),
    });
  }
  for (const m of source.matchAll(/\brequire\s*\(\s*(["'][^"']+["'])?/g)) {
    refs.push({
      specifier: m[1] ? m[1].slice(1, -1) : null,
      typeOnly: false,
      kind: "require",
      line: lineOf(m.index),
    });
  }
  return refs;
}
