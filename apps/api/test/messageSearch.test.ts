import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/api";

let api: TestApi;
let conversationId: string;
let otherClinicConversation: string;
/** A word planted in a message and searched for: it must reach no log line and no audit record. */
const marker = "Quetzalmarker";

beforeAll(async () => {
  api = await startTestApi();
  const { a, b } = api.world;
  const doctor = api.clientAs(a.sessionOf(a.doctor));
  ({
    conversation: { id: conversationId },
  } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id }));
  await api.clientAs(a.sessionOf(a.patient)).messages.send.mutate({
    conversationId,
    clientId: "search-1",
    text: `Is my appointment moved? ${marker}`,
  });
  const bDoctor = api.clientAs(b.sessionOf(b.doctor));
  ({
    conversation: { id: otherClinicConversation },
  } = await bDoctor.conversations.startWithPatient.mutate({ patientId: b.patient.id }));
  await bDoctor.messages.send.mutate({
    conversationId: otherClinicConversation,
    clientId: "search-b",
    text: `Clinic B appointment ${marker}`,
  });
});
afterAll(async () => {
  await api?.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("expected a tRPC error");
  return (error.data as { domainCode?: string; code?: string } | undefined)?.domainCode ?? error.data?.code;
}

describe("search.messages (SRCH-1)", () => {
  it("SRCH-1, ELIG-4, ELIG-5: every actor of both clinics finds only what they may read", async () => {
    const { a, b } = api.world;
    const search = (session: ReturnType<typeof a.sessionOf>, query = "appoin") =>
      api.clientAs(session).search.messages.mutate({ query });
    const found = async (session: ReturnType<typeof a.sessionOf>) =>
      (await search(session)).hits.map((hit) => hit.conversation.id);
    expect(await found(a.sessionOf(a.doctor))).toEqual([conversationId]);
    for (const outsider of [a.admin, a.nurse, a.awayDoctor])
      expect(await found(a.sessionOf(outsider))).toEqual([]);
    expect(await found(b.sessionOf(b.doctor))).toEqual([otherClinicConversation]);
    for (const outsider of [b.admin, b.nurse]) expect(await found(b.sessionOf(outsider))).toEqual([]);
    expect(await codeOf(search(a.sessionOf(a.patient)))).toBe("FORBIDDEN");
    expect(await codeOf(search(b.sessionOf(b.patient)))).toBe("FORBIDDEN");
    expect(await codeOf(search(a.sessionOf(a.former)))).toBe("STAFF_INACTIVE");
    const foreign = api
      .clientAs(b.sessionOf(b.doctor))
      .search.messages.mutate({ query: "appoin", conversationId });
    expect(await codeOf(foreign)).toBe("NOT_FOUND");
  });

  it("SRCH-1: the hit is highlighted in context with its sender", async () => {
    const { a } = api.world;
    const page = await api
      .clientAs(a.sessionOf(a.doctor))
      .search.messages.mutate({ query: "APPOINTMENT moved" });
    const [hit] = page.hits;
    expect(hit?.highlights.map((h) => hit.snippet.slice(h.start, h.end))).toEqual(["appointment", "moved"]);
    expect(hit?.sender).toEqual({ kind: "patient", id: a.patient.id });
    expect(page.people.map((p) => p.id)).toContain(a.patient.id);
  });

  it("SEC-6: an empty, too long or punctuation-only query is refused with its field named", async () => {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    for (const query of ["", "x".repeat(101), "?!… --"]) {
      const error = await doctor.search.messages.mutate({ query }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCClientError);
      expect(JSON.stringify((error as TRPCClientError<never>).data)).toContain("query");
    }
  });

  it("SRCH-1, SEC-3, SEC-5: the searched words reach no log line and no audit record", async () => {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const page = await doctor.search.messages.mutate({ query: marker });
    expect(page.hits).toHaveLength(1);
    await doctor.search.messages.mutate({ query: `${marker} ${"y".repeat(120)}` }).catch(() => undefined);
    await doctor.search.messages.mutate({ query: marker, cursor: `not a ${marker}` }).catch(() => undefined);
    expect(api.logs.join("\n").toLowerCase()).not.toContain(marker.toLowerCase());
    const trail = await api.uow.inner.run(a.clinicId, (s) => s.audit.list({ limit: 500 }));
    const searches = JSON.stringify(trail).toLowerCase();
    expect(searches).toContain("message.search");
    expect(searches).not.toContain(marker.toLowerCase());
  });
});
