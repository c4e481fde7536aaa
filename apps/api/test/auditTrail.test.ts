import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/api";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

describe("the audit trail for people (REC-6)", () => {
  it("REC-6: audit.list tells an admin each record in words, filtered by patient; audit.export writes the filtered trail as CSV and is audited", async () => {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    await doctor.messages.send.mutate({ conversationId: conversation.id, clientId: "m-1", text: "Hello" });
    const admin = api.clientAs(a.sessionOf(a.admin));
    const sends = await admin.audit.list.query({
      limit: 10,
      action: "message.send",
      patientId: a.patient.id,
    });
    expect(sends.items).toHaveLength(1);
    expect(sends.items[0]?.sentence).toMatch(/ sent a message in the conversation with /);
    expect(sends.filterNames.patient).toContain(
      (await admin.patients.get.query({ patientId: a.patient.id })).person.name,
    );

    const { csv, records } = await admin.audit.export.mutate({
      patientId: a.patient.id,
      action: "message.send",
    });
    expect(records).toBe(1);
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual([
      "Time (UTC)".replace("UTC", sends.timeZone),
      "Time (UTC)",
      "Who",
      "What",
      "Action",
      "Outcome",
      "Reason",
      "Address",
    ]);
    expect(rows.slice(1).map((row) => [row[3], row[4], row[5]])).toEqual([
      [sends.items[0]?.sentence, "message.send", "success"],
    ]);
    const exports = await admin.audit.list.query({ limit: 10, action: "audit.export" });
    expect(exports.items.map((e) => [e.actor, e.outcome])).toEqual([
      [{ kind: "staff", id: a.admin.id }, "success"],
    ]);
    expect(
      JSON.stringify(exports.items.map(({ sentence: _s, actorName: _a, ...rest }) => rest)),
    ).not.toContain("Hello");
  });
});
