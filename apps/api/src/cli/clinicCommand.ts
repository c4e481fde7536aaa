import { resolve } from "node:path";
import {
  connectPostgres,
  createLocalMailer,
  createPostgresAuthStore,
  createPostgresUnitOfWork,
  createSmtpMailer,
  listClinicsAsOwner,
  preparePostgres,
  type RecordKeys,
  rotateKeyEncryptionKey,
  systemClock,
  uuidV7Ids,
} from "@clinic-chat/adapters";
import { type Clinic, createClinic, isDomainError, setClinicPlan } from "@clinic-chat/domain";
import { AuthError } from "../auth/AuthError";
import { createAuth } from "../auth/createAuth";
import { ConfigError, loadConfig } from "../config";
import { appDatabasePassword, withUser } from "../start/appDatabasePassword";
import { makeDataFolderPrivate } from "../start/dataFolder";
import { openRecordKeys } from "../start/recordKeys";
import { appRole } from "../start/startProduct";
import { type ClinicCommand, clinicUsage, parseClinicArgs } from "./clinicArgs";

/** Where the command writes: its answer, and its refusals. */
export interface CommandOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Exit codes: 0 done, 1 failed (a database or mail server out of reach), 2 refused input. */
export type ExitCode = 0 | 1 | 2;

/**
 * ADMIN-1, the operator command: creates a clinic and invites its first admin, changes a plan,
 * lists clinics. Against the product's own database: DATABASE_URL when set, otherwise the embedded
 * PostgreSQL under DATA_DIR (default .data), exactly as `npm start` finds it. Arguments are
 * checked before anything is opened, so refused input writes nothing.
 */
export async function runClinicCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: CommandOutput,
): Promise<ExitCode> {
  const command = parseClinicArgs(argv);
  if ("refusal" in command) {
    output.err(`${command.refusal}\n\n${clinicUsage}`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      output.err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const dataDir = resolve(env.INIT_CWD ?? process.cwd(), config.dataDir);
  const stops: (() => Promise<void>)[] = [];
  try {
    await makeDataFolderPrivate(dataDir);
    let ownerUrl = config.databaseUrl;
    if (!ownerUrl) {
      const { startEmbeddedPostgres } = await import("@clinic-chat/adapters/embedded");
      const embedded = await startEmbeddedPostgres({ directory: resolve(dataDir, "postgres") }).catch(() => {
        // One PostgreSQL per data folder: a running product holds it.
        throw new Error(
          `the embedded database in ${dataDir} did not start. Is the product running on it? Stop it first, or set DATABASE_URL.`,
        );
      });
      stops.push(() => embedded.stop());
      ownerUrl = embedded.ownerSocketUrl ?? embedded.ownerUrl;
    }
    const appPassword = await appDatabasePassword(dataDir, env.DATABASE_APP_PASSWORD);
    await preparePostgres({ ownerUrl, appRole, appPassword });
    const db = connectPostgres(withUser(ownerUrl, appRole, appPassword), { max: 2 });
    stops.push(() => db.destroy());
    const owner = connectPostgres(ownerUrl, { max: 1 });
    stops.push(() => owner.destroy());
    const recordKeys = await openRecordKeys(dataDir, config.kms, ownerUrl);
    const uow = createPostgresUnitOfWork(db, {
      recordKeys,
      notificationQueue: () => ({
        schedule: () => Promise.reject(new Error("the operator command sends no chat notifications")),
      }),
    });
    const auth = createAuth({
      store: createPostgresAuthStore(db, { recordKeys }),
      clock: systemClock,
      mailer: config.mail.smtpUrl
        ? createSmtpMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from })
        : createLocalMailer({ directory: resolve(dataDir, "mail"), from: config.mail.from }),
      config,
    });
    return await run(command, { uow, auth, db, owner, recordKeys, output });
  } catch (error) {
    output.err(`${failureSentence(error)}\n`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

interface Running {
  readonly uow: Parameters<typeof createClinic>[0]["uow"];
  readonly auth: ReturnType<typeof createAuth>;
  readonly db: ReturnType<typeof connectPostgres>;
  readonly owner: ReturnType<typeof connectPostgres>;
  readonly recordKeys: RecordKeys;
  readonly output: CommandOutput;
}

async function run(command: ClinicCommand, running: Running): Promise<ExitCode> {
  const { uow, auth, owner, output } = running;
  switch (command.kind) {
    case "rotate-key": {
      // REC-1: while the product serves (with DATABASE_URL); each clinic's key is re-wrapped in a
      // transaction of its own, and the earlier key-encryption key is retired at the end.
      const keyId = await rotateKeyEncryptionKey(running.db, owner, running.recordKeys.provider);
      output.out(
        `Every clinic's key is wrapped with the key-encryption key ${keyId}; the earlier one is retired.\n`,
      );
      return 0;
    }
    case "list": {
      const clinics = await listClinicsAsOwner(owner);
      output.out(clinics.length === 0 ? "No clinics yet.\n" : clinics.map(describe).join(""));
      return 0;
    }
    case "create": {
      const clinic = await createClinic({ uow, ids: uuidV7Ids, clock: systemClock }, command);
      output.out(`Created ${describe(clinic)}`);
      return invite(auth, clinic.id, command.admin, output);
    }
    case "plan": {
      const known = (await listClinicsAsOwner(owner)).some((c) => c.id === command.clinicId);
      if (!known) {
        output.err("--clinic names no clinic: see `npm run clinic -- list`.\n");
        return 2;
      }
      output.out(`Changed ${describe(await setClinicPlan({ uow, clock: systemClock }, command))}`);
      return 0;
    }
    case "invite": {
      const known = (await listClinicsAsOwner(owner)).some((c) => c.id === command.clinicId);
      if (!known) {
        output.err("--clinic names no clinic: see `npm run clinic -- list`.\n");
        return 2;
      }
      return invite(auth, command.clinicId, command.admin, output);
    }
  }
}

async function invite(
  auth: ReturnType<typeof createAuth>,
  clinicId: string,
  email: string,
  output: CommandOutput,
): Promise<ExitCode> {
  try {
    const invitation = await auth.service.inviteStaff(null, clinicId, { email, role: "admin" });
    output.out(
      `Invited ${invitation.email} as the clinic's admin; the link works until ${invitation.expiresAt.toISOString()}.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AuthError && error.code === "STAFF_EMAIL_IN_USE") {
      output.err("--admin already signs in to this clinic.\n");
      return 2;
    }
    output.err(
      `${failureSentence(error)} Send it again with: npm run clinic -- invite --clinic ${clinicId} --admin ${email}\n`,
    );
    return 1;
  }
}

const describe = (clinic: Clinic) =>
  `${clinic.id}  ${clinic.plan.padEnd(8)}  ${clinic.timeZone.padEnd(20)}  ${clinic.name}\n`;

function failureSentence(error: unknown): string {
  if (error instanceof AuthError && error.code === "INVITATION_NOT_SENT")
    return "The invitation email could not be sent (check SMTP_URL).";
  if (isDomainError(error)) return `Refused: ${error.message}.`;
  return `Failed: ${error instanceof Error ? error.message : String(error)}`;
}
