import { hostRecordLimits } from "@clinic-chat/domain/integration";
import type { CapabilityStatement } from "@medplum/fhirtypes";
import { staffRoleExtension } from "./hostItems";
import { hl7PractitionerRoleSystem, staffRoleSystem } from "./staffRoles";

const conditional = (type: "Patient" | "Practitioner" | "Appointment", documentation: string) => ({
  type,
  documentation,
  interaction: [{ code: "update" as const }, { code: "search-type" as const }],
  conditionalUpdate: true,
  updateCreate: false,
  searchParam: [
    { name: "identifier", type: "token" as const, documentation: "The host system's id, system|value" },
  ],
});

/** INTEG-2: what the endpoint does, published at `metadata`. */
export function capabilityStatement(tokenUrl: string): CapabilityStatement {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-12-01",
    kind: "instance",
    fhirVersion: "4.0.1",
    format: ["application/fhir+json"],
    software: { name: "Clinic Chat" },
    implementation: {
      description: "Clinic Chat: patients, practitioners and appointments from the clinic's system",
    },
    rest: [
      {
        mode: "server",
        security: {
          cors: false,
          service: [
            {
              coding: [
                { system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "OAuth" },
              ],
            },
          ],
          description: `OAuth2 client credentials (client_secret_basic or client_secret_post) at the token endpoint; bearer tokens last minutes. A transaction holds at most ${hostRecordLimits.items} entries.`,
          extension: [
            {
              url: "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
              extension: [{ url: "token", valueUri: tokenUrl }],
            },
          ],
        },
        resource: [
          conditional(
            "Patient",
            "Upserted by identifier; SMS consent and the portal account stay Clinic Chat's.",
          ),
          conditional(
            "Practitioner",
            `Upserted by identifier; an email in telecom is required. The role comes from a PractitionerRole, or from the extension ${staffRoleExtension} (practitioner or staff); without either a new practitioner is a practitioner and an existing one keeps their role.`,
          ),
          {
            type: "PractitionerRole" as const,
            documentation: `The role of a Practitioner already sent (or sent in the same transaction): practitioner names it by the host's identifier (Practitioner?identifier=… or practitioner.identifier); code is ${staffRoleSystem} practitioner|staff, or ${hl7PractitionerRoleSystem} (doctor is a practitioner, nurse, pharmacist, researcher, teacher and ict are staff). Clinic Chat keeps one role per practitioner: the answer's id is the practitioner's. An admin stays an admin.`,
            interaction: [{ code: "update" as const }],
            conditionalUpdate: true,
            updateCreate: false,
          },
          conditional(
            "Appointment",
            "Upserted by identifier; participants name the Patient and the Practitioner by the host's identifier (actor.identifier, or a conditional reference Patient?identifier=…).",
          ),
          {
            type: "Communication",
            documentation:
              "A patient's chat for the chart (INTEG-5): search by the host's patient id, one Communication per message, oldest first; a deleted message is entered-in-error without payload, a file an attachment with type and size.",
            interaction: [{ code: "search-type" }],
            searchParam: [
              {
                name: "patient",
                type: "reference",
                documentation:
                  "Chained to the host's identifier only: patient.identifier=system|value (or patient:identifier=system|value)",
              },
            ],
          },
        ],
        interaction: [{ code: "transaction" }],
      },
    ],
  };
}
