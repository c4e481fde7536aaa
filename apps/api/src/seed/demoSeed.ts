import { appointments, type Database, withClinic } from "@clinic-chat/adapters";
import {
  type Clinic,
  defaultSettings,
  type Ids,
  type Patient,
  type Plan,
  type StaffMember,
  type UnitOfWork,
} from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import { Secret } from "otpauth";
import type { Auth } from "../auth/createAuth";
import { saveDemoTotpSecrets } from "../auth/devTotp";

/** The password of every demo sign-in: printed at start-up, for local use only. */
export const demoPassword = "demo-password-2026";

/** One demo person who can sign in, as printed at start-up. */
export interface DemoSignIn {
  readonly clinic: string;
  readonly kind: "staff" | "patient";
  readonly role: string;
  readonly name: string;
  readonly email: string;
  readonly clinicId: string;
  readonly personId: string;
}

/** What the demo seed created. */
export interface DemoSeed {
  readonly clinics: readonly Clinic[];
  readonly signIns: readonly DemoSignIn[];
}

interface ClinicPlan {
  readonly name: string;
  readonly plan: Plan;
  readonly domain: string;
}

const demoClinics: readonly ClinicPlan[] = [
  { name: "Maple Grove Family Practice", plan: "premium", domain: "maplegrove.example" },
  { name: "Riverside Physiotherapy", plan: "enhanced", domain: "riverside.example" },
  { name: "Harbor Dental", plan: "starter", domain: "harbordental.example" },
];

/** True when the database holds no clinic yet: the only case in which the demo seed runs by itself. */
export async function databaseIsEmpty(owner: Kysely<Database>): Promise<boolean> {
  const row = await owner
    .selectFrom("clinics")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0) === 0;
}

/**
 * The demo data of `npm start` on an empty database: a Premium clinic with an admin, two
 * practitioners (one unavailable for chat), a front-desk user, patients in every portal state and
 * appointments; an Enhanced clinic; and a Starter clinic. Patient chat is switched on so the demo
 * works at once. Everything goes through the domain's ports, like real onboarding would.
 */
export async function seedDemo(deps: {
  uow: UnitOfWork;
  ids: Ids;
  db: Kysely<Database>;
  now: Date;
}): Promise<DemoSeed> {
  const clinics: Clinic[] = [];
  const signIns: DemoSignIn[] = [];
  for (const spec of demoClinics) {
    const clinic: Clinic = {
      id: deps.ids.newId(),
      name: spec.name,
      plan: spec.plan,
      timeZone: "UTC",
      settings: { ...defaultSettings(spec.plan), patientChatEnabled: true },
    };
    clinics.push(clinic);
    const staff = (
      role: StaffMember["role"],
      name: string,
      local: string,
      extra: Partial<StaffMember> = {},
    ): StaffMember => ({
      id: deps.ids.newId(),
      clinicId: clinic.id,
      name,
      email: `${local}@${spec.domain}`,
      role,
      active: true,
      availableForPatientChat: true,
      emailNotifications: true,
      ...extra,
    });
    const patient = (
      name: string,
      local: string,
      dateOfBirth: string,
      portalAccount: Patient["portalAccount"],
      extra: Partial<Patient> = {},
    ): Patient => ({
      id: deps.ids.newId(),
      clinicId: clinic.id,
      name,
      dateOfBirth,
      email: `${local}@patients.example`,
      mobilePhone: null,
      smsConsent: false,
      portalAccount,
      ...extra,
    });
    const team =
      spec.plan === "premium"
        ? [
            staff("admin", "Alex Morgan", "alex.morgan"),
            staff("practitioner", "Dr. Priya Shah", "priya.shah"),
            staff("practitioner", "Dr. Samuel Okafor", "samuel.okafor", { availableForPatientChat: false }),
            staff("staff", "Jordan Lee", "jordan.lee"),
          ]
        : [
            staff("admin", `${spec.name.split(" ")[0]} Admin`, "admin"),
            staff("practitioner", "Dr. Casey Rivera", "casey.rivera"),
          ];
    const people =
      spec.plan === "premium"
        ? [
            patient("Elena Garcia", `elena.garcia.${spec.plan}`, "1986-03-14", "active", {
              mobilePhone: "+15555550101",
              smsConsent: true,
            }),
            patient("Marcus Chen", `marcus.chen.${spec.plan}`, "1979-11-02", "active"),
            patient("Olivia Brown", `olivia.brown.${spec.plan}`, "1992-07-21", "invited"),
            patient("Noah Wilson", `noah.wilson.${spec.plan}`, "1968-01-30", "none", { email: null }),
            patient("Ava Thompson", `ava.thompson.${spec.plan}`, "2001-09-09", "disabled"),
          ]
        : [
            patient("Liam Patel", `liam.patel.${spec.plan}`, "1983-05-17", "active"),
            patient("Mia Johnson", `mia.johnson.${spec.plan}`, "1995-12-04", "invited"),
          ];

    await deps.uow.run(clinic.id, async (stores) => {
      await stores.clinics.create(clinic);
      for (const member of team) await stores.directory.saveStaff(member);
      for (const person of people) await stores.directory.savePatient(person);
    });

    const practitioners = team.filter((member) => member.role === "practitioner");
    await withClinic(deps.db, clinic.id, async (trx) => {
      const day = 24 * 60 * 60 * 1000;
      let slot = 0;
      for (const person of people.filter((p) => p.portalAccount !== "disabled")) {
        const practitioner = practitioners[slot % practitioners.length]!;
        const startsAt = new Date(Math.ceil(deps.now.getTime() / day) * day + (9 + slot) * 60 * 60 * 1000);
        await appointments.save(trx, {
          id: deps.ids.newId(),
          clinicId: clinic.id,
          patientId: person.id,
          practitionerId: practitioner.id,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 30 * 60 * 1000),
          status: "scheduled",
        });
        slot++;
      }
    });

    for (const member of team) {
      signIns.push({
        clinic: clinic.name,
        kind: "staff",
        role: member.role,
        name: member.name,
        email: member.email,
        clinicId: clinic.id,
        personId: member.id,
      });
    }
    for (const person of people.filter((p) => p.portalAccount === "active" && p.email)) {
      signIns.push({
        clinic: clinic.name,
        kind: "patient",
        role: "patient",
        name: person.name,
        email: person.email!,
        clinicId: clinic.id,
        personId: person.id,
      });
    }
  }
  return { clinics, signIns };
}

/**
 * Gives every demo sign-in the demo password, and staff TOTP with a secret kept in the data folder
 * so `npm run totp -- <email>` prints their codes. Refused in production.
 */
export async function provisionDemoSignIns(
  seed: DemoSeed,
  deps: { auth: Auth; dataDir: string; nodeEnv: string },
): Promise<void> {
  if (deps.nodeEnv === "production") throw new Error("the demo seed is for local use only");
  const secrets: { email: string; secret: string }[] = [];
  for (const signIn of seed.signIns) {
    const totpSecret = signIn.kind === "staff" ? new Secret({ size: 20 }).base32 : undefined;
    await deps.auth.credentials.provision({
      clinicId: signIn.clinicId,
      person: { kind: signIn.kind, id: signIn.personId },
      email: signIn.email,
      password: demoPassword,
      ...(totpSecret ? { totpSecret } : {}),
    });
    if (totpSecret) secrets.push({ email: signIn.email, secret: totpSecret });
  }
  await saveDemoTotpSecrets(deps.dataDir, secrets, deps.nodeEnv);
}
