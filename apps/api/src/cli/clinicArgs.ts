import { parseArgs } from "node:util";
import { clinicNameProblem, isTimeZone, type Plan, plans } from "@clinic-chat/domain";
import { z } from "zod";

/** One operator command, its arguments checked (ADMIN-1). */
export type ClinicCommand =
  | {
      readonly kind: "create";
      readonly name: string;
      readonly plan: Plan;
      readonly timeZone: string;
      readonly admin: string;
    }
  | { readonly kind: "plan"; readonly clinicId: string; readonly plan: Plan }
  | { readonly kind: "invite"; readonly clinicId: string; readonly admin: string }
  | { readonly kind: "list" }
  | { readonly kind: "rotate-key" };

/** How to use the command; printed with every refusal. */
export const clinicUsage = `Usage:
  npm run clinic -- create --name "Maple Clinic" --plan starter|enhanced|premium --time-zone America/New_York --admin ada@maple.example
  npm run clinic -- plan --clinic <clinic id> --plan starter|enhanced|premium
  npm run clinic -- invite --clinic <clinic id> --admin ada@maple.example
  npm run clinic -- list
  npm run clinic -- rotate-key     (a new key-encryption key re-wraps every clinic's key, REC-1)
`;

const options = {
  name: { type: "string" },
  plan: { type: "string" },
  "time-zone": { type: "string" },
  admin: { type: "string" },
  clinic: { type: "string" },
} as const;

const allowed: Readonly<Record<ClinicCommand["kind"], readonly (keyof typeof options)[]>> = {
  create: ["name", "plan", "time-zone", "admin"],
  plan: ["clinic", "plan"],
  invite: ["clinic", "admin"],
  list: [],
  "rotate-key": [],
};

const email = z.email();
const uuid = z.uuid();

/** The command the arguments ask for, or the sentence that refuses them, naming the argument. */
export function parseClinicArgs(argv: readonly string[]): ClinicCommand | { readonly refusal: string } {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    return { refusal: `${error instanceof Error ? error.message.split("\n")[0] : "Bad arguments."}` };
  }
  const [kind, ...extra] = parsed.positionals;
  if (!kind) return { refusal: "Name a command: create, plan, invite, list or rotate-key." };
  if (!(kind in allowed))
    return { refusal: `Unknown command "${kind}": use create, plan, invite, list or rotate-key.` };
  if (extra.length > 0) return { refusal: `Unexpected argument "${extra[0]}".` };
  const command = kind as ClinicCommand["kind"];
  const values = parsed.values as Partial<Record<keyof typeof options, string>>;
  for (const key of Object.keys(values) as (keyof typeof options)[])
    if (!allowed[command].includes(key)) return { refusal: `--${key} does not go with "${command}".` };
  for (const key of allowed[command])
    if (values[key] === undefined) return { refusal: `--${key} is required for "${command}".` };

  const plan = values.plan;
  if (plan !== undefined && !plans.includes(plan as Plan))
    return { refusal: `--plan must be one of ${plans.join(", ")}.` };
  const name = values.name;
  const nameProblem = name === undefined ? null : clinicNameProblem(name);
  if (nameProblem) return { refusal: `--name ${nameProblem}.` };
  const timeZone = values["time-zone"];
  if (timeZone !== undefined && !isTimeZone(timeZone))
    return {
      refusal: "--time-zone must be an IANA time zone name, such as Europe/Paris or America/New_York.",
    };
  const admin = values.admin?.trim().toLowerCase();
  if (admin !== undefined && !email.safeParse(admin).success)
    return { refusal: "--admin must be an email address, such as ada@maple.example." };
  const clinicId = values.clinic;
  if (clinicId !== undefined && !uuid.safeParse(clinicId).success)
    return { refusal: "--clinic must be a clinic id as `npm run clinic -- list` shows it." };

  switch (command) {
    case "create":
      return { kind: command, name: name!.trim(), plan: plan as Plan, timeZone: timeZone!, admin: admin! };
    case "plan":
      return { kind: command, clinicId: clinicId!, plan: plan as Plan };
    case "invite":
      return { kind: command, clinicId: clinicId!, admin: admin! };
    case "list":
    case "rotate-key":
      return { kind: command };
  }
}
