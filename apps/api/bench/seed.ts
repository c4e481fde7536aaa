import {
  type Actor,
  type Clinic,
  createClinicChat,
  defaultSettings,
  type Patient,
  type StaffMember,
} from "@clinic-chat/domain";
import { newTotpSecret } from "../src/auth/totp";
import type { RunningProduct } from "../src/start/startProduct";

/** Every bench person's password. */
export const benchPassword = "bench password 2026, not a real one";

/** A person who can sign in, with what signing in needs. */
export interface BenchSignIn {
  readonly kind: "staff" | "patient";
  readonly id: string;
  readonly email: string;
  /** Staff only: the TOTP secret turned on for them. */
  readonly totpSecret: string | null;
}

/** What {@link seedBenchClinic} made. */
export interface BenchClinic {
  readonly clinicId: string;
  /** Pair i: practitioner i and patient i share `conversations[i]`, a patient chat of just the two of them. */
  readonly pairs: readonly {
    readonly practitioner: BenchSignIn;
    readonly patient: BenchSignIn;
    readonly conversationId: string;
  }[];
  /** The admin and the broadcast staff share `broadcastConversationId`, a Team Chat of them all. */
  readonly admin: BenchSignIn;
  readonly broadcastStaff: readonly BenchSignIn[];
  readonly broadcastConversationId: string;
}

/**
 * One Premium clinic with patient chat on, seeded through the domain (the directory's ports for
 * people, the use cases for conversations, sign-in's provisioning for passwords and TOTP):
 * `pairs` practitioner–patient chats, and a Team Chat of an admin with `broadcast` staff.
 */
export async function seedBenchClinic(
  product: Pick<RunningProduct, "domain" | "auth">,
  counts: { readonly pairs: number; readonly broadcast: number },
): Promise<BenchClinic> {
  const { domain, auth } = product;
  const chat = createClinicChat(domain);
  const clinic: Clinic = {
    id: domain.ids.newId(),
    name: "Bench Clinic",
    plan: "premium",
    timeZone: "UTC",
    settings: { ...defaultSettings("premium"), patientChatEnabled: true },
  };
  const staff = (role: StaffMember["role"], n: string): StaffMember => ({
    id: domain.ids.newId(),
    clinicId: clinic.id,
    name: `Staff ${n}`,
    email: `staff.${n}@bench.example`,
    role,
    active: true,
    availableForPatientChat: true,
    emailNotifications: true,
  });
  const patient = (n: string): Patient => ({
    id: domain.ids.newId(),
    clinicId: clinic.id,
    name: `Patient ${n}`,
    email: `patient.${n}@bench.example`,
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "active",
  });
  const practitioners = Array.from({ length: counts.pairs }, (_, i) => staff("practitioner", `p${i}`));
  const patients = Array.from({ length: counts.pairs }, (_, i) => patient(`${i}`));
  const admin = staff("admin", "admin");
  const broadcast = Array.from({ length: counts.broadcast }, (_, i) => staff("staff", `b${i}`));
  await domain.uow.run(clinic.id, async (stores) => {
    await stores.clinics.create(clinic);
    for (const member of [admin, ...practitioners, ...broadcast]) await stores.directory.saveStaff(member);
    for (const person of patients) await stores.directory.savePatient(person);
  });

  const signIn = async (person: StaffMember | Patient): Promise<BenchSignIn> => {
    const kind = "role" in person ? "staff" : "patient";
    const totpSecret = kind === "staff" ? newTotpSecret() : null;
    await auth.credentials.provision({
      clinicId: clinic.id,
      person: { kind, id: person.id },
      email: person.email!,
      password: benchPassword,
      ...(totpSecret ? { totpSecret } : {}),
    });
    return { kind, id: person.id, email: person.email!, totpSecret };
  };
  const actor = (member: StaffMember): Actor => ({
    clinicId: clinic.id,
    person: { kind: "staff", id: member.id },
    ip: null,
  });

  const pairs = [];
  for (let i = 0; i < counts.pairs; i++) {
    const started = await chat.startPatientChat(actor(practitioners[i]!), { patientId: patients[i]!.id });
    pairs.push({
      practitioner: await signIn(practitioners[i]!),
      patient: await signIn(patients[i]!),
      conversationId: started.conversation.id,
    });
  }
  const team = await chat.startTeamChat(actor(admin), { staffIds: broadcast.map((member) => member.id) });
  return {
    clinicId: clinic.id,
    pairs,
    admin: await signIn(admin),
    broadcastStaff: await Promise.all(broadcast.map(signIn)),
    broadcastConversationId: team.conversation.id,
  };
}
