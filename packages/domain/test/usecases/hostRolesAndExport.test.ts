import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { HostCaller } from "../../src/integration/ports";
import {
  auditTrail,
  createWorld,
  dumpWithoutAudit,
  patientConversation,
  say,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

const digest = (secret: string) => createHash("sha256").update(secret).digest("hex");

async function credentialOf(clinic: "a" | "b"): Promise<HostCaller> {
  const made = await world.chat.createApiCredential(world[clinic].admin, {
    name: "Practice system",
    secretDigest: digest(`secret-${clinic}`),
  });
  return world.chat.authenticateHost({
    clinicId: world[clinic].clinicId,
    credentialId: made.id,
    secretDigest: digest(`secret-${clinic}`),
  });
}

const doctor = (role: "practitioner" | "staff" | null) => ({
  at: 0,
  hostId: "D-1",
  name: "Doctor Host",
  email: "doc@host.test",
  role,
});

describe("INTEG-2: roles recorded apart from the person (PractitionerRole)", () => {
  it("INTEG-2: a role names a practitioner of the call or of before; without a role a practitioner keeps theirs", async () => {
    const caller = await credentialOf("a");
    const { chat } = world;
    const first = await chat.recordFromHost(caller, {
      patients: [],
      practitioners: [doctor(null)],
      appointments: [],
      roles: [{ at: 1, practitionerHostId: "D-1", role: "staff" }],
    });
    expect(first).toMatchObject({
      ok: true,
      results: [
        { at: 0, outcome: "add" },
        { at: 1, outcome: "update" },
      ],
    });
    const staffRole = async () =>
      (await world.uow.run(world.a.clinicId, (s) => s.integration.staffByHostIds(["D-1"])))[0]?.role;
    expect(await staffRole()).toBe("staff");
    await chat.recordFromHost(caller, { patients: [], practitioners: [doctor(null)], appointments: [] });
    expect(await staffRole()).toBe("staff");
    const again = await chat.recordFromHost(caller, {
      patients: [],
      practitioners: [],
      appointments: [],
      roles: [{ at: 0, practitionerHostId: "D-1", role: "staff" }],
    });
    expect(again).toMatchObject({ ok: true, results: [{ at: 0, outcome: "unchanged" }] });
  });

  it("INTEG-2 ELIG-5: a role for an unknown or another clinic's practitioner is refused and nothing is written", async () => {
    await world.chat.recordFromHost(await credentialOf("a"), {
      patients: [],
      practitioners: [doctor("practitioner")],
      appointments: [],
    });
    const hostB = await credentialOf("b");
    const before = dumpWithoutAudit(world);
    const outcome = await world.chat.recordFromHost(hostB, {
      patients: [],
      practitioners: [{ ...doctor(null), hostId: "D-2", at: 0 }],
      appointments: [],
      roles: [{ at: 1, practitionerHostId: "D-1", role: "staff" }],
    });
    expect(outcome).toEqual({ ok: false, problems: [{ at: 1, field: "practitioner", problem: "unknown" }] });
    expect(dumpWithoutAudit(world).replace(/"lastUsedAt":"[^"]*"/g, "")).toBe(
      before.replace(/"lastUsedAt":"[^"]*"/g, ""),
    );
  });
});

describe("INTEG-5: the host exports a patient's conversation for the chart", () => {
  it("INTEG-5 ELIG-5: by the patient's host id, for its own clinic only; audited with the credential", async () => {
    const { a, chat } = world;
    await world.uow.run(a.clinicId, async (s) => {
      const patient = await s.directory.patient(a.patient.person.id);
      await s.directory.savePatient({ ...patient!, hostId: "P-77" });
    });
    const hostA = await credentialOf("a");
    expect(await chat.exportPatientChatForHost(hostA, { patientHostId: "P-77" })).toBeNull();
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.practitioner, conversationId, "for the chart");
    const record = await chat.exportPatientChatForHost(hostA, { patientHostId: " P-77 " });
    expect(record).toMatchObject({
      conversation: { id: conversationId },
      patientId: a.patient.person.id,
      patientHostId: "P-77",
    });
    expect(record?.messages.map((m) => m.body)).toEqual([{ kind: "text", text: "for the chart" }]);
    expect(
      await chat.exportPatientChatForHost(await credentialOf("b"), { patientHostId: "P-77" }),
    ).toBeNull();
    expect(await chat.exportPatientChatForHost(hostA, { patientHostId: "P-404" })).toBeNull();

    const exports = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "conversation.export");
    expect(exports.map((e) => [e.credentialId, e.conversationId ?? null, e.outcome])).toEqual([
      [hostA.credentialId, null, "success"],
      [hostA.credentialId, conversationId, "success"],
      [hostA.credentialId, null, "success"],
    ]);
  });
});

describe("INTEG-1: the host system's calls per minute", () => {
  it("INTEG-1: calls within the minute's limit go ahead; past it the credential waits for the next minute", async () => {
    const caller = await credentialOf("a");
    world.clock.advance(15_000);
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await world.chat.admitHostCall(caller, { perMinute: 3 }));
    expect(answers).toEqual([
      { admitted: true },
      { admitted: true },
      { admitted: true },
      { admitted: false, retryAfterSeconds: 45 },
    ]);
    expect(await world.chat.admitHostCall(await credentialOf("b"), { perMinute: 3 })).toEqual({
      admitted: true,
    });
    world.clock.advance(45_000);
    expect(await world.chat.admitHostCall(caller, { perMinute: 3 })).toEqual({ admitted: true });
  });
});
