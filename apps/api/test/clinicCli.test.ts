import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresUnitOfWork, createRecordKeys, openKeyFileProvider } from "@clinic-chat/adapters";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../packages/adapters/test/support/postgres";
import { type ExitCode, runClinicCommand } from "../src/cli/clinicCommand";
import { oneStartAtATime, readableEmail } from "./support/product";

let database: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), "clinic-cli-"));
});
afterAll(async () => {
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `npm run clinic -- …` against the test database (DATABASE_URL), as an operator would. */
async function clinic(...argv: string[]): Promise<{ code: ExitCode; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    DATABASE_URL: database.ownerUrl,
    DATABASE_APP_PASSWORD: inject("postgres").appPassword,
    DATA_DIR: dataDir,
    PUBLIC_URL: "https://chat.maple.example",
    NODE_ENV: "test",
  };
  const code = await oneStartAtATime(() =>
    runClinicCommand(argv, env, { out: (t) => out.push(t), err: (t) => err.push(t) }),
  );
  return { code, out: out.join(""), err: err.join("") };
}

const counts = async () => ({
  clinics: (await database.owner.selectFrom("clinics").select("id").execute()).length,
  invitations: (await database.owner.selectFrom("staff_invitations").select("id").execute()).length,
});

describe("the operator command (ADMIN-1)", () => {
  it("ADMIN-1: refuses bad input with a sentence naming the argument, exit code 2, and writes nothing", async () => {
    const before = await counts();
    const good = [
      "--name",
      "Maple Clinic",
      "--plan",
      "enhanced",
      "--time-zone",
      "America/New_York",
      "--admin",
      "ada@maple.example",
    ];
    const withArg = (name: string, value: string) => {
      const args = ["create", ...good];
      args[args.indexOf(name) + 1] = value;
      return args;
    };
    const cases: [string[], RegExp][] = [
      [[], /Name a command/],
      [["destroy"], /Unknown command "destroy"/],
      [withArg("--plan", "gold"), /^--plan must be one of starter, enhanced, premium\./],
      [withArg("--time-zone", "Mars/Olympus_Mons"), /^--time-zone must be an IANA time zone/],
      [withArg("--time-zone", "+01:00"), /^--time-zone must be an IANA time zone/],
      [withArg("--admin", "not-an-email"), /^--admin must be an email address/],
      [withArg("--name", "   "), /^--name is empty\./],
      [withArg("--name", "Maple\u0000Clinic"), /^--name holds a control character\./],
      [
        ["create", "--name", "Maple Clinic", "--plan", "starter", "--admin", "ada@maple.example"],
        /^--time-zone is required for "create"\./,
      ],
      [["plan", "--clinic", "42", "--plan", "premium"], /^--clinic must be a clinic id/],
      [
        ["plan", "--clinic", "0190f5a2-0000-7000-8000-000000000000", "--plan", "premium"],
        /^--clinic names no clinic/,
      ],
      [["list", "--plan", "premium"], /^--plan does not go with "list"\./],
      [["create", ...good, "--colour", "blue"], /--colour/],
    ];
    for (const [argv, sentence] of cases) {
      const result = await clinic(...argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.err, argv.join(" ")).toMatch(sentence);
      expect(result.out).toBe("");
    }
    expect(await counts()).toEqual(before);
  });

  it("ADMIN-1: creates a clinic with default settings and its time zone, emails its first admin a staff invitation; plan and list", async () => {
    const created = await clinic(
      "create",
      "--name",
      "Birch Family Practice",
      "--plan",
      "starter",
      "--time-zone",
      "America/New_York",
      "--admin",
      "Ada@Birch.example",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const id = /^Created ([0-9a-f-]{36}) /.exec(created.out)?.[1];
    if (!id) throw new Error(`no clinic id in ${created.out}`);
    expect(created.out).toContain("Invited ada@birch.example as the clinic's admin");

    const row = await database.owner
      .selectFrom("clinics")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: "Birch Family Practice",
      plan: "starter",
      time_zone: "America/New_York",
      patient_chat_enabled: false,
      patient_messaging_enabled: false,
      team_chat_enabled: false,
      idle_timeout_minutes: 15,
    });
    const invitation = await database.owner
      .selectFrom("staff_invitations")
      .select(["email", "role", "used_at"])
      .where("clinic_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(invitation).toEqual({ email: "ada@birch.example", role: "admin", used_at: null });
    const audit = await database.owner
      .selectFrom("audit_log")
      .select("action")
      .where("clinic_id", "=", id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["clinic.create", "team.invite"]);

    const files = await readdir(join(dataDir, "mail"));
    const email = readableEmail(await readFile(join(dataDir, "mail", files.at(-1)!), "utf8"));
    expect(email).toContain("Join Birch Family Practice on Clinic Chat");
    expect(email).toMatch(/https:\/\/chat\.maple\.example\/staff\/invitation#[A-Za-z0-9_-]{43}/);

    const changed = await clinic("plan", "--clinic", id, "--plan", "premium");
    expect(changed.code).toBe(0);
    expect(changed.out).toContain("premium");
    const after = await database.owner
      .selectFrom("clinics")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(after.plan).toBe("premium");
    // ENT-3: settings stay as they were.
    expect(after.team_chat_enabled).toBe(false);

    const list = await clinic("list");
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`${id}\\s+premium\\s+America/New_York\\s+Birch Family Practice`));

    const again = await clinic("invite", "--clinic", id, "--admin", "ada@birch.example");
    expect(again.code).toBe(0);
    expect((await counts()).invitations).toBe(2);
  });
  it("REC-1: rotate-key wraps every clinic's key with a new key-encryption key and retires the earlier one", async () => {
    const made = await clinic(
      "create",
      "--name",
      "Rowan Clinic",
      "--plan",
      "starter",
      "--time-zone",
      "Europe/Paris",
      "--admin",
      "rowan@rowan.example",
    );
    expect(made.code).toBe(0);
    const clinicId = /^Created ([0-9a-f-]{36}) /.exec(made.out)?.[1] ?? "";
    const keyFile = join(dataDir, "secrets", "key-encryption-keys.json");
    const product = async () =>
      createPostgresUnitOfWork(database.app, {
        notificationQueue: () => ({ schedule: async () => undefined }),
        recordKeys: createRecordKeys(await openKeyFileProvider(keyFile)),
      });
    // The clinic's key is made the first time the product needs it.
    await (await product()).run(clinicId, (s) => s.messages.get("no-such-message"));
    const earlier = JSON.parse(await readFile(keyFile, "utf8")).current as string;

    const rotated = await clinic("rotate-key");
    expect(rotated.code).toBe(0);
    const file = JSON.parse(await readFile(keyFile, "utf8"));
    expect(file.current).not.toBe(earlier);
    expect(Object.keys(file.keys)).toEqual([file.current]);
    expect(rotated.out).toContain(file.current);
    const wrapped = await database.owner.selectFrom("clinic_keys").select("kek_id").distinct().execute();
    expect(wrapped.map((row) => row.kek_id)).toEqual([file.current]);
    // A process started now unwraps the clinic's key with the new key-encryption key alone.
    await (await product()).run(clinicId, (s) => s.messages.get("no-such-message"));
  });
});
