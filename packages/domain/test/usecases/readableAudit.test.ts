import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { auditActions } from "../../src/audit/AuditEvent";
import { auditSentence, auditSentences } from "../../src/audit/auditSentences";
import {
  createWorld,
  patientConversation,
  refused,
  sharedMessage,
  updatePatient,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
let conversationId: string;
let fileId: string;
beforeEach(async () => {
  world = await createWorld();
  const { a, chat } = world;
  await updatePatient(world, a.patient, { dateOfBirth: "1984-03-02" });
  conversationId = await patientConversation(world, a.practitioner, a.patient);
  const upload = await uploadFile(world, a.patient, conversationId, { fileName: "MRI.pdf" });
  fileId = upload.fileId;
  sharedMessage(await chat.confirmFileUpload(a.patient, { fileId }));
  world.clock.advanceSeconds(60);
  await chat.downloadFile(a.practitioner, { fileId });
});

describe("REC-6 the audit trail in words", () => {
  it("REC-6: a file download names the person with their role, the file and the patient with date of birth", async () => {
    const { a, chat } = world;
    const page = await chat.listAuditTrail(a.admin, { limit: 10, action: "file.download" });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      sentence:
        "Priya Raman (practitioner) downloaded MRI.pdf from the conversation with Harriet Okonkwo (b. 1984-03-02)",
      actorName: "Priya Raman (practitioner)",
      patient: { id: a.patient.person.id, name: "Harriet Okonkwo (b. 1984-03-02)" },
      fileId,
      conversationId,
      localTime: "2030-01-07 09:01",
    });
  });

  it("REC-6: the log itself keeps ids only; names are read when an admin reads it", async () => {
    const { a, uow } = world;
    const rows = (await uow.run(a.clinicId, (s) => s.audit.list({ limit: 100 }))).items;
    const text = JSON.stringify(rows);
    expect(text).not.toContain("Harriet");
    expect(text).not.toContain("MRI.pdf");
    expect(text).not.toContain("Priya");
  });

  it("REC-6: filters by patient, person, action and days of the clinic's calendar, and names the filters", async () => {
    const { a, chat } = world;
    await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    const other = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    await chat.readHistory(a.practitioner, { conversationId: other, limit: 10 });
    const aboutHarriet = await chat.listAuditTrail(a.admin, { limit: 50, patientId: a.patient.person.id });
    expect(aboutHarriet.filterNames.patient).toBe("Harriet Okonkwo (b. 1984-03-02)");
    expect(aboutHarriet.items.length).toBeGreaterThan(2);
    expect(aboutHarriet.items.every((e) => e.patient?.id === a.patient.person.id)).toBe(true);
    const downloads = await chat.listAuditTrail(a.admin, {
      limit: 50,
      patientId: a.patient.person.id,
      action: "file.download",
      actorKey: `staff:${a.practitioner.person.id}`,
      fromDay: "2030-01-01",
      toDay: "2030-01-07",
    });
    expect(downloads.items.map((e) => e.action)).toEqual(["file.download"]);
    expect(downloads.filterNames.actor).toBe("Priya Raman (practitioner)");
    const nextWeek = await chat.listAuditTrail(a.admin, {
      limit: 50,
      fromDay: "2030-01-08",
      toDay: "2030-01-14",
    });
    expect(nextWeek.items).toEqual([]);
    await refused(chat.listAuditTrail(a.admin, { limit: 50, fromDay: "2030-02-31" }), "INVALID_INPUT");
  });

  it("REC-6: days are the clinic's: a record at 23:30 in New York belongs to that day there", async () => {
    const { a, chat, uow } = world;
    await uow.run(a.clinicId, async (s) => {
      const clinic = await s.clinics.get(a.clinicId);
      if (!clinic) throw new Error("no clinic");
      // The in-memory store's create replaces the clinic: the only way to move it to another zone here.
      await s.clinics.create({ ...clinic, timeZone: "America/New_York" });
    });
    // 09:01 UTC on 7 January is 04:01 in New York: the 7th there too; 04:30 UTC on the 8th is the 7th there.
    world.clock.advanceTo(new Date("2030-01-08T04:30:00Z"));
    await chat.downloadFile(a.practitioner, { fileId });
    const seventh = await chat.listAuditTrail(a.admin, {
      limit: 50,
      action: "file.download",
      fromDay: "2030-01-07",
      toDay: "2030-01-07",
    });
    expect(seventh.items.map((e) => e.localTime)).toEqual(["2030-01-07 23:30", "2030-01-07 04:01"]);
  });

  it("REC-6: for admins only; other staff and patients are refused, and another clinic's ids name nothing", async () => {
    const { a, b, chat } = world;
    await refused(chat.listAuditTrail(a.practitioner, { limit: 10 }), "FORBIDDEN");
    await refused(chat.listAuditTrail(a.patient, { limit: 10 }), "FORBIDDEN");
    await refused(chat.exportAuditTrail(a.frontDesk, {}), "FORBIDDEN");
    const foreign = await chat.listAuditTrail(b.admin, { limit: 10, patientId: a.patient.person.id });
    expect(foreign.items).toEqual([]);
    expect(foreign.filterNames.patient).toBe("a patient");
  });

  it("REC-6: the export holds the filtered records in words and is itself audited", async () => {
    const { a, chat } = world;
    const exported = await chat.exportAuditTrail(a.admin, { action: "file.download" });
    expect(exported.items.map((e) => e.sentence)).toEqual([
      "Priya Raman (practitioner) downloaded MRI.pdf from the conversation with Harriet Okonkwo (b. 1984-03-02)",
    ]);
    const exports = await chat.listAuditTrail(a.admin, { limit: 10, action: "audit.export" });
    expect(exports.items.map((e) => e.sentence)).toEqual([
      "Ada Lovelace (admin) exported the audit trail as CSV",
    ]);
  });

  it("REC-6: names a page's records with one read per kind, not one per record", async () => {
    const { a, chat, uow } = world;
    for (let i = 0; i < 5; i++) await chat.downloadFile(a.practitioner, { fileId });
    let recordsNamed = 0;
    let peopleNamed = 0;
    const run = uow.run.bind(uow);
    uow.run = (clinicId, work) =>
      run(clinicId, (stores) => {
        const audit = stores.audit;
        return work({
          ...stores,
          audit: {
            ...audit,
            list: (q) => audit.list(q),
            append: (e) => audit.append(e),
            appendAll: (e) => audit.appendAll(e),
            recordsNamed: (ids) => {
              recordsNamed++;
              return audit.recordsNamed(ids);
            },
            peopleNamed: (ids) => {
              peopleNamed++;
              return audit.peopleNamed(ids);
            },
          },
        });
      });
    const page = await chat.listAuditTrail(a.admin, { limit: 50 });
    expect(page.items.length).toBeGreaterThan(6);
    expect([recordsNamed, peopleNamed]).toEqual([1, 1]);
  });
});

describe("REC-6 every action has words", () => {
  const terms = {
    actor: "ACTOR",
    conversation: "CONVERSATION",
    file: "FILE",
    subject: "SUBJECT",
    reason: "idle",
  };

  it("REC-6: every audited action, session ends included, reads as a sentence naming who acted", () => {
    for (const action of auditActions) {
      const sentence = auditSentence({ action, outcome: "success" }, terms);
      expect(sentence, action).not.toMatch(/undefined|null|\.\w+_/);
      if (action !== "clinic.create" && action !== "clinic.plan_change")
        expect(sentence, action).toContain("ACTOR");
    }
    expect(Object.keys(auditSentences).sort()).toEqual([...auditActions].sort());
    expect(auditSentence({ action: "session.expired", outcome: "success" }, terms)).toBe(
      "ACTOR's session ended after being idle for the clinic's time limit",
    );
    expect(
      auditSentence({ action: "session.ended", outcome: "success" }, { ...terms, reason: "password_reset" }),
    ).toBe("ACTOR's session was ended because their password was reset");
    expect(auditSentence({ action: "file.download", outcome: "denied" }, terms)).toBe(
      "ACTOR downloaded FILE from CONVERSATION (refused)",
    );
  });

  it("REC-6: every action and session-end reason the code base writes has words", () => {
    const root = join(__dirname, "../../../..");
    const sources = ["packages/domain/src", "packages/adapters/src", "apps/api/src"].flatMap((dir) =>
      filesUnder(join(root, dir)),
    );
    const written = new Set<string>();
    const reasons = new Set<string>();
    for (const file of sources) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/action: "([a-z]+\.[a-z_]+)"/g)) written.add(m[1]!);
      for (const m of text.matchAll(/v_action := '([a-z]+\.[a-z_]+)'/g)) written.add(m[1]!);
      for (const m of text.matchAll(/'(session\.[a-z_]+)', v_reason/g)) written.add(m[1]!);
      for (const m of text.matchAll(/v_reason := '([a-z_]+)'/g)) reasons.add(m[1]!);
    }
    const sessionEnds = readFileSync(join(root, "apps/api/src/auth/sessionEnds.ts"), "utf8");
    const reasonType = /SessionEndReason = ([^;]+);/.exec(sessionEnds)?.[1] ?? "";
    for (const m of reasonType.matchAll(/"([a-z_]+)"/g)) reasons.add(m[1]!);
    expect(written.size).toBeGreaterThan(10);
    expect(reasons).toEqual(
      new Set([
        "idle",
        "absolute",
        "account_unavailable",
        "signed_out_everywhere",
        "password_reset",
        "password_changed",
      ]),
    );
    for (const action of written) expect(Object.keys(auditSentences), action).toContain(action);
    for (const reason of reasons) {
      const told = auditSentence({ action: "session.ended", outcome: "success" }, { ...terms, reason });
      expect(told, reason).toMatch(/ended \S+/);
    }
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}
