/// <reference types="node" />
/**
 * ARCH: every rule of PRODUCT.md is decided in the domain; apps/api validates, calls one use case
 * and maps its answer. A file under `apps/api/src` that opens a unit of work (`x.run(clinicId,
 * (stores) => …)`) or imports a store port has the stores in hand to decide something itself, so
 * it fails this test unless it is one of the plumbing files allowed below. Each check also runs
 * on inline sources, to prove it reports what it must and nothing else.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sourceFiles, tokenize } from "../../../../packages/domain/test/architecture/sourceScanner";

const here = dirname(fileURLToPath(import.meta.url));
const apiRoot = resolve(here, "../..");

/** The store ports of the domain and the adapters: holding one is holding the data to decide on. */
const storePorts = new Set([
  "Stores",
  "UnitOfWork",
  "ClinicStore",
  "Directory",
  "ConversationStore",
  "MessageStore",
  "EventLog",
  "FileStore",
  "AuditLog",
  "NotificationStore",
  "NotificationQueue",
  "AppointmentStore",
  "AuthStore",
  "ClinicAuthStores",
]);
const packages = new Set(["@clinic-chat/domain", "@clinic-chat/adapters"]);

/**
 * The plumbing files that may hold stores, each with why. Sign-in keeps credentials, sessions and
 * invitations in its own store (the adapters' `AuthStore`), which has no domain use case; the
 * PRODUCT.md rules it applies (ELIG-6 at sign-in, who may invite) come from the domain's
 * `canAct`, `findPerson` and `loadActing`.
 */
const allowed: Readonly<Record<string, string>> = {
  "src/auth/AuthDeps.ts": "declares sign-in's ports, the AuthStore among them",
  "src/auth/createAuth.ts": "composes sign-in from its AuthStore and provisions credentials in it",
  "src/auth/rateLimit.ts": "counts sign-in attempts in the AuthStore (SEC-2 throttling, no product rule)",
  "src/auth/openSession.ts": "writes a new session and its audit record inside sign-in's unit of work",
  "src/auth/signIn.ts": "reads credentials and sessions; ELIG-6 is the domain's canAct",
  "src/auth/account.ts": "the signed-in person's credentials (password, second factor)",
  "src/auth/invitations.ts": "stores portal invitations; who may invite is the domain's loadActing",
  "src/auth/passwordRecovery.ts":
    "stores password reset links and sets the new password (ACC-1); who may act is the domain's canAct",
  "src/auth/sessionEnds.ts":
    "ends a person's sessions with their audit records inside sign-in's unit of work",
  "src/auth/staffInvitations.ts":
    "stores staff invitations and the invitee's credential (ADMIN-2); who may invite is the domain's loadActing",
  "src/auth/team.ts":
    "ends sessions and resets second factors beside Team changes (ADMIN-2); the last-admin rule is the domain's decideTeamChange",
  "src/seed/demoSeed.ts": "writes the demo clinic through the ports: setup data, not a decision",
};

/** One place a file holds stores: what and on which line. */
interface Finding {
  readonly line: number;
  readonly what: string;
}

/** Where a source imports a store port or opens a unit of work with a callback. */
export function storeUses(source: string): Finding[] {
  const tokens = tokenize(source);
  const findings: Finding[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "id" && token.value === "import") {
      const names: { value: string; line: number }[] = [];
      let j = i + 1;
      while (j < tokens.length && tokens[j]!.value !== "from" && tokens[j]!.value !== ";") {
        const t = tokens[j]!;
        if (t.type === "id" && storePorts.has(t.value)) names.push(t);
        j++;
      }
      const specifier = tokens[j + 1];
      if (tokens[j]?.value === "from" && specifier?.type === "str" && packages.has(specifier.value))
        for (const name of names) findings.push({ line: name.line, what: `imports ${name.value}` });
      continue;
    }
    if (token.value === "." && tokens[i + 1]?.value === "run" && tokens[i + 2]?.value === "(") {
      let depth = 0;
      for (let j = i + 2; j < tokens.length; j++) {
        const t = tokens[j]!;
        if (t.value === "(" || t.value === "{" || t.value === "[") depth++;
        else if (t.value === ")" || t.value === "}" || t.value === "]") {
          if (--depth === 0) break;
        } else if (
          depth === 1 &&
          ((t.value === "=" && tokens[j + 1]?.value === ">") || (t.type === "id" && t.value === "function"))
        ) {
          findings.push({ line: token.line, what: "opens a unit of work" });
          break;
        }
      }
    }
  }
  return findings;
}

describe("ARCH: apps/api is plumbing, the domain decides", () => {
  it("reports store port imports and units of work opened with a callback, and nothing else", () => {
    const source = [
      'import type { ClinicChat, Actor } from "@clinic-chat/domain";',
      "import {",
      "  type UnitOfWork,",
      "  loadActing,",
      '} from "@clinic-chat/domain";',
      'import type { AuthStore } from "@clinic-chat/adapters";',
      'import type { Directory } from "./somewhereElse";',
      "const answer = await deps.uow.run(actor.clinicId, async (stores) => stores.clinics.get(id));",
      "await store.run(clinicId, function (s) { return s; });",
      "void this.run(person);",
      "const text = 'x.run(a, (b) => b)'; // uow.run(a, (b) => b)",
      "await chat.entitlementView(actor);",
    ].join("\n");
    expect(storeUses(source)).toEqual([
      { line: 3, what: "imports UnitOfWork" },
      { line: 6, what: "imports AuthStore" },
      { line: 8, what: "opens a unit of work" },
      { line: 9, what: "opens a unit of work" },
    ]);
  });

  it("no file under apps/api/src holds stores except the allowed plumbing", () => {
    const offenders: string[] = [];
    const users = new Set<string>();
    for (const file of sourceFiles(join(apiRoot, "src"))) {
      const path = relative(apiRoot, file).split(sep).join("/");
      const uses = storeUses(readFileSync(file, "utf8"));
      if (uses.length === 0) continue;
      users.add(path);
      if (!(path in allowed)) offenders.push(...uses.map((use) => `${path}:${use.line} ${use.what}`));
    }
    expect(offenders).toEqual([]);
    // An entry that no longer holds stores is removed, so the list stays as small as it can be.
    expect(Object.keys(allowed).filter((path) => !users.has(path))).toEqual([]);
  });
});
