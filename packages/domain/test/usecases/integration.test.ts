import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { HostCaller } from "../../src/integration/ports";
import type { HostRecords } from "../../src/integration/recordFromHost";
import { auditTrail, createWorld, dumpWithoutAudit, refused, type World } from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

const digest = (secret: string) => createHash("sha256").update(secret).digest("hex");
const day = 24 * 60 * 60 * 1000;

async function credentialOf(clinic: "a" | "b", secret = `secret-${clinic}`): Promise<HostCaller> {
  const made = await world.chat.createApiCredential(world[clinic].admin, {
    name: "Practice system",
    secretDigest: digest(secret),
  });
  return world.chat.authenticateHost({
    clinicId: world[clinic].clinicId,
    credentialId: made.id,
    secretDigest: digest(secret),
  });
}

function load(n = 3): HostRecords {
  const start = world.clock.now().getTime() + 2 * day;
  return {
    patients: Array.from({ length: n }, (_, i) => ({
      at: i,
      hostId: `P-${i}`,
      name: `Host Patient ${i}`,
      dateOfBirth: "1980-02-03",
      email: null,
      mobilePhone: null,
    })),
    practitioners: [
      { at: n, hostId: "D-1", name: "Doctor Host", email: "doc@host.test", role: "practitioner" },
    ],
    appointments: Array.from({ length: n }, (_, i) => ({
      at: n + 1 + i,
      hostId: `A-${i}`,
      patientHostId: `P-${i}`,
      practitionerHostId: "D-1",
      startsAt: new Date(start + i * 3_600_000),
      endsAt: new Date(start + i * 3_600_000 + 1_800_000),
      status: "scheduled" as const,
    })),
  };
}

describe("INTEG-1: API credentials", () => {
  it("INTEG-1: an admin makes, lists and revokes a credential; a revoked one is refused and every use is audited without PHI", async () => {
    const { a, chat } = world;
    const caller = await credentialOf("a");
    await refused(
      chat.createApiCredential(a.frontDesk, { name: "x", secretDigest: digest("x") }),
      "FORBIDDEN",
    );
    const [listed] = await chat.listApiCredentials(a.admin);
    expect(listed).toMatchObject({ id: caller.credentialId, name: "Practice system", revokedAt: null });
    expect(listed?.lastUsedAt).toEqual(world.clock.now());
    expect(JSON.stringify(listed)).not.toContain(digest("secret-a"));
    await chat.recordFromHost(caller, load(1));
    await chat.revokeApiCredential(a.admin, { credentialId: caller.credentialId });
    await refused(chat.recordFromHost(caller, load(1)), "FORBIDDEN");
    await refused(
      chat.authenticateHost({
        clinicId: a.clinicId,
        credentialId: caller.credentialId,
        secretDigest: digest("secret-a"),
      }),
      "FORBIDDEN",
    );
    const trail = await auditTrail(world, a.clinicId);
    const hostCalls = trail.filter((e) => e.credentialId === caller.credentialId);
    expect(hostCalls.map((e) => [e.action, e.outcome])).toEqual([
      ["credential.token", "success"],
      ["host.record", "success"],
      ["host.record", "denied"],
      ["credential.token", "denied"],
    ]);
    expect(JSON.stringify(trail)).not.toContain("Host Patient");
  });

  it("INTEG-1 ELIG-5: a wrong secret, an unknown credential and another clinic's credential are the same refusal", async () => {
    const { a, b, chat } = world;
    const caller = await credentialOf("a");
    await refused(
      chat.authenticateHost({
        clinicId: a.clinicId,
        credentialId: caller.credentialId,
        secretDigest: digest("guess"),
      }),
      "FORBIDDEN",
    );
    await refused(
      chat.authenticateHost({ clinicId: a.clinicId, credentialId: "nope", secretDigest: digest("secret-a") }),
      "FORBIDDEN",
    );
    await refused(
      chat.authenticateHost({
        clinicId: b.clinicId,
        credentialId: caller.credentialId,
        secretDigest: digest("secret-a"),
      }),
      "FORBIDDEN",
    );
    await refused(chat.recordFromHost({ ...caller, clinicId: b.clinicId }, load(1)), "FORBIDDEN");
  });
});

describe("INTEG-2: records from the host system", () => {
  it("INTEG-2: a load adds patients, a practitioner and appointments; loading it again changes nothing", async () => {
    const { a, chat } = world;
    const caller = await credentialOf("a");
    const first = await chat.recordFromHost(caller, load());
    expect(first.ok && first.results.map((r) => r.outcome)).toEqual(Array(7).fill("add"));
    const before = dumpWithoutAudit(world);
    const again = await chat.recordFromHost(caller, load());
    expect(again.ok && again.results.map((r) => r.outcome)).toEqual(Array(7).fill("unchanged"));
    expect(dumpWithoutAudit(world)).toBe(before);
    const from = world.clock.now();
    const book = await chat.listAppointments(a.frontDesk, {
      from,
      to: new Date(from.getTime() + 7 * day),
      limit: 100,
    });
    expect(book.length).toBe(3);
  });

  it("INTEG-2: the host updates and cancels; SMS consent and the portal account stay the clinic's", async () => {
    const { a, chat } = world;
    const caller = await credentialOf("a");
    await chat.recordFromHost(caller, load(1));
    const [patient] = await world.uow.run(a.clinicId, (s) => s.directory.patientsByHostIds(["P-0"]));
    // The clinic invites the patient to the portal and records consent to SMS.
    await world.uow.run(a.clinicId, (s) =>
      s.directory.savePatient({
        ...patient!,
        mobilePhone: "+15550100999",
        smsConsent: true,
        portalAccount: "active",
      }),
    );
    const changed = load(1);
    const outcome = await chat.recordFromHost(caller, {
      patients: [{ ...changed.patients[0]!, name: "Renamed Patient", mobilePhone: "+15550100999" }],
      practitioners: [],
      appointments: [{ ...changed.appointments[0]!, at: 1, status: "cancelled" }],
    });
    expect(outcome.ok && outcome.results.map((r) => r.outcome)).toEqual(["update", "update"]);
    const [after] = await world.uow.run(a.clinicId, (s) => s.directory.patientsByHostIds(["P-0"]));
    expect(after).toMatchObject({ name: "Renamed Patient", smsConsent: true, portalAccount: "active" });
    const [appointment] = await world.uow.run(a.clinicId, (s) =>
      s.integration.appointmentsByHostIds(["A-0"]),
    );
    expect(appointment?.status).toBe("cancelled");
  });

  it("INTEG-2 ELIG-5: a bad item refuses the whole call by its place and field, writing nothing", async () => {
    const { b, chat } = world;
    const caller = await credentialOf("a");
    await chat.recordFromHost(await credentialOf("b", "b"), {
      patients: [
        {
          at: 0,
          hostId: "B-1",
          name: "Other Clinic",
          dateOfBirth: "1970-01-01",
          email: null,
          mobilePhone: null,
        },
      ],
      practitioners: [],
      appointments: [],
    });
    expect(b.clinicId).toBeTruthy();
    const bad = load(2);
    const before = dumpWithoutAudit(world);
    const outcome = await chat.recordFromHost(caller, {
      ...bad,
      patients: [bad.patients[0]!, { ...bad.patients[1]!, dateOfBirth: "yesterday" }],
      appointments: [bad.appointments[0]!, { ...bad.appointments[1]!, patientHostId: "B-1" }],
    });
    expect(outcome).toEqual({
      ok: false,
      problems: [
        { at: 1, field: "dateOfBirth", problem: "not_a_date" },
        { at: 4, field: "patient", problem: "unknown" },
      ],
    });
    expect(dumpWithoutAudit(world)).toBe(before);
  });
});

describe("INTEG-3: deep links by the host's ids", () => {
  it("INTEG-3 ELIG-5: a patient's or an appointment's host id names the patient; unknown and foreign ones are NOT_FOUND", async () => {
    const { a, b, chat } = world;
    const result = await chat.recordFromHost(await credentialOf("a"), load(1));
    const patientId = result.ok ? result.results[0]!.id : "";
    expect(await chat.patientOfHostLink(a.frontDesk, { patientHostId: "P-0" })).toEqual({ patientId });
    expect(await chat.patientOfHostLink(a.practitioner, { appointmentHostId: "A-0" })).toEqual({ patientId });
    await refused(chat.patientOfHostLink(b.frontDesk, { patientHostId: "P-0" }), "NOT_FOUND");
    await refused(chat.patientOfHostLink(a.frontDesk, { patientHostId: "P-404" }), "NOT_FOUND");
    await refused(chat.patientOfHostLink(a.patient, { patientHostId: "P-0" }), "FORBIDDEN");
  });
});
