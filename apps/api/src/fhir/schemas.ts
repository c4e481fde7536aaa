import { type ZodType, z } from "zod";

// The subset of FHIR R4 the endpoint reads (INTEG-2). Elements outside it are allowed and left
// alone, as FHIR servers do with elements they do not support; the ones read are checked here, so
// a wrong type is refused with the FHIR path of the element.

const text = z.string().min(1).max(1000);
const identifier = z.object({ system: z.string().max(1000).optional(), value: text.optional() });
const humanName = z.object({
  use: z.string().optional(),
  text: z.string().max(1000).optional(),
  family: z.string().max(1000).optional(),
  given: z.array(z.string().max(1000)).max(10).optional(),
});
const contactPoint = z.object({
  system: z.string().optional(),
  value: z.string().max(1000).optional(),
  use: z.string().optional(),
});
const reference = z.object({
  reference: z.string().max(2000).optional(),
  type: z.string().optional(),
  identifier: identifier.optional(),
});
const extension = z.object({ url: z.string(), valueCode: z.string().optional() });
const codeableConcept = z.object({
  coding: z
    .array(z.object({ system: z.string().max(1000).optional(), code: z.string().max(200).optional() }))
    .max(20)
    .optional(),
  text: z.string().max(1000).optional(),
});

export const patientSchema = z.object({
  resourceType: z.literal("Patient"),
  identifier: z.array(identifier).min(1).max(20),
  name: z.array(humanName).min(1).max(10),
  birthDate: z.string().max(10),
  telecom: z.array(contactPoint).max(20).optional(),
});

export const practitionerSchema = z.object({
  resourceType: z.literal("Practitioner"),
  identifier: z.array(identifier).min(1).max(20),
  name: z.array(humanName).min(1).max(10),
  telecom: z.array(contactPoint).max(20).optional(),
  extension: z.array(extension).max(20).optional(),
});

export const practitionerRoleSchema = z.object({
  resourceType: z.literal("PractitionerRole"),
  identifier: z.array(identifier).min(1).max(20),
  practitioner: reference,
  code: z.array(codeableConcept).min(1).max(10),
});

export const appointmentStatuses = [
  "proposed",
  "pending",
  "booked",
  "arrived",
  "fulfilled",
  "cancelled",
  "noshow",
  "entered-in-error",
  "checked-in",
  "waitlist",
] as const;

export const appointmentSchema = z.object({
  resourceType: z.literal("Appointment"),
  identifier: z.array(identifier).min(1).max(20),
  status: z.enum(appointmentStatuses),
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  participant: z
    .array(z.object({ actor: reference.optional(), status: z.string().optional() }))
    .min(1)
    .max(20),
});

export const bundleSchema = z.object({
  resourceType: z.literal("Bundle"),
  type: z.literal("transaction"),
  entry: z.array(
    z.object({
      resource: z.object({ resourceType: z.string() }).loose(),
      request: z.object({ method: z.literal("PUT"), url: z.string().max(2000) }),
    }),
  ),
});

export type FhirPatientInput = z.infer<typeof patientSchema>;
export type FhirPractitionerInput = z.infer<typeof practitionerSchema>;
export type FhirAppointmentInput = z.infer<typeof appointmentSchema>;
export type FhirPractitionerRoleInput = z.infer<typeof practitionerRoleSchema>;

/** The resource types the endpoint records and reads. */
export const resourceTypes = ["Patient", "Practitioner", "PractitionerRole", "Appointment"] as const;
export type ResourceType = (typeof resourceTypes)[number];

/** A resource of the accepted subset. */
export type FhirResourceInput =
  | FhirPatientInput
  | FhirPractitionerInput
  | FhirPractitionerRoleInput
  | FhirAppointmentInput;

/** The schema of each resource type the endpoint records. */
export const schemaOf: Readonly<Record<ResourceType, ZodType<FhirResourceInput>>> = {
  Patient: patientSchema,
  Practitioner: practitionerSchema,
  PractitionerRole: practitionerRoleSchema,
  Appointment: appointmentSchema,
};

/** A zod issue's path as a FHIR path under `base` (`Patient.name[0].given`). */
export function fhirPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `.${String(key)}`;
  return out;
}
