import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveCluster, type LiveProcess, startLiveCluster, within } from "./support/liveCluster";

// Idle streams are checked again on one shared timer; short here so the tests need not wait 30 s.
let cluster: LiveCluster;
let server: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster({ recheckMs: 200 });
  server = await cluster.startProcess("server");
});
afterAll(async () => {
  await cluster?.close();
});

describe("standing of the person behind a stream", () => {
  it("SEC-2: an idle stream of a person who signed out ends with UNAUTHORIZED without any event coming", async () => {
    const { a } = cluster.world;
    const tab = cluster.client(server, a.otherPatient).subscribe();
    await tab.ready();
    cluster.signOut(a.otherPatient);
    await tab.until((c) => c.errors.length === 1, "the end of the idle stream");
    expect(tab.errors[0]!.data).toMatchObject({ code: "UNAUTHORIZED" });
    expect(tab.received.map((r) => r.data.type)).toEqual(["ready"]);
  });

  it("SEC-2: a person's re-check that never answers holds up nobody else's: another's idle stream still ends when they sign out", async () => {
    const { a } = cluster.world;
    const stuck = cluster.client(server, a.nurse).subscribe();
    const other = cluster.client(server, a.doctor).subscribe();
    await Promise.all([stuck.ready(), other.ready()]);
    const release = cluster.holdSessionChecks(a.nurse);
    try {
      // Let a re-check round start the nurse's check, which does not answer.
      const checks = () => cluster.sessionChecks.get(a.nurse.id) ?? 0;
      const before = checks();
      await within(
        (async () => {
          while (checks() === before) await new Promise((resolve) => setTimeout(resolve, 20));
        })(),
        "the nurse's re-check",
      );
      cluster.signOut(a.doctor);
      await other.until((c) => c.errors.length === 1, "the end of the doctor's idle stream");
      expect(other.errors[0]!.data).toMatchObject({ code: "UNAUTHORIZED" });
      // The nurse's stream is still open, waiting on its own check.
      expect(stuck.errors).toEqual([]);
    } finally {
      release();
      stuck.unsubscribe();
      other.unsubscribe();
    }
  });

  it("ELIG-6: a deactivated staff member's stream is refused when it opens, and an open one ends", async () => {
    const { b } = cluster.world;
    const open = cluster.client(server, b.nurse).subscribe();
    await open.ready();
    await server.uow.run(b.clinicId, (stores) => stores.directory.saveStaff({ ...b.nurse, active: false }));
    // The entitlements change re-checks every open person of the clinic (ENT-4); the idle re-check would too.
    await cluster
      .client(server, b.admin)
      .trpc.clinic.changeSettings.mutate({ smsNotificationsEnabled: true });
    await open.until((c) => c.errors.length === 1, "the end of the open stream");
    expect(open.errors[0]!.data).toMatchObject({ code: "FORBIDDEN", domainCode: "STAFF_INACTIVE" });

    const refused = cluster.client(server, b.nurse).subscribe();
    await refused.until((c) => c.errors.length === 1, "the refusal");
    expect(refused.errors[0]!.data).toMatchObject({ code: "FORBIDDEN", domainCode: "STAFF_INACTIVE" });
    expect(refused.of("ready")).toEqual([]);
    expect(server.live.stats().subscribers).toBe(0);
  });
});
