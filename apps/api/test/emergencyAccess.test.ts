import { TRPCClientError } from "@trpc/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/api";
import { testUuid } from "./support/fakes";
import { phiMarkers } from "./support/world";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

async function codeOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("expected a tRPC error");
  return (error.data as { code: string }).code;
}

describe("emergency access over the API (REC-7)", () => {
  it("REC-7: an admin reads a conversation they are not in for one hour with a reason, writes nothing, and the other admin is emailed without PHI", async () => {
    const { a } = api.world;
    const secondAdmin = {
      ...a.admin,
      id: testUuid("5aff", 900),
      name: "Otto Other",
      email: "other.admin@clinic.test",
    };
    await api.memory.run(a.clinicId, (s) => s.directory.saveStaff(secondAdmin));
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    await doctor.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "m-1",
      text: phiMarkers[1],
    });
    const admin = api.clientAs(a.sessionOf(a.admin));
    const history = { conversationId: conversation.id, limit: 10 };
    expect(await codeOf(admin.conversations.history.query(history))).toBe("NOT_FOUND");
    expect(await admin.emergency.standing.query({ conversationId: conversation.id })).toEqual({
      kind: "patient",
      participant: false,
      until: null,
    });

    const reason = `Called about ${phiMarkers[0]}: the practitioner is away`;
    const opened = await admin.emergency.open.mutate({ conversationId: conversation.id, reason });
    expect(opened.adminsTold).toBe(1);
    const page = await admin.conversations.history.query(history);
    expect(page.messages).toHaveLength(1);
    const details = await admin.conversations.open.query({ conversationId: conversation.id });
    expect(details.emergencyUntil).toEqual(opened.until);
    expect(
      await codeOf(
        admin.messages.send.mutate({ conversationId: conversation.id, clientId: "x", text: "Hi" }),
      ),
    ).toBe("NOT_FOUND");

    const emails = api.email.sent.filter((m) => m.to === "other.admin@clinic.test");
    expect(emails).toHaveLength(1);
    const email = JSON.stringify(emails);
    for (const marker of phiMarkers) expect(email).not.toContain(marker);
    expect(email).not.toContain(conversation.id);
    expect(api.logs.join("")).not.toContain("practitioner is away");

    const notices = await api.clientAs(a.sessionOf(secondAdmin)).emergency.recent.query();
    expect(notices.map((n) => [n.reason, n.mine])).toEqual([[reason, false]]);
    expect(await api.clientAs(a.sessionOf(secondAdmin)).emergency.noticeCount.query()).toEqual({ count: 1 });
    expect(await admin.emergency.noticeCount.query()).toEqual({ count: 0 });

    api.clock.advance(60 * 60 * 1000);
    expect(await codeOf(admin.conversations.history.query(history))).toBe("NOT_FOUND");
    expect(await codeOf(admin.conversations.open.query({ conversationId: conversation.id }))).toBe(
      "NOT_FOUND",
    );
  });
});
