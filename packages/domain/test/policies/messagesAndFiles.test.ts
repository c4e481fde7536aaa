import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkMessageText } from "../../src/chat/messageRules";
import { checkFileDeclaration, displayFileName, fileRules, isAllowedFileType } from "../../src/files/index";
import { canDeleteMessage, type Message, type MessageBody, type PersonRef } from "../../src/index";
import { asPatient, asStaff, clinicId, otherClinicId, patient, staff } from "./fixtures";

/** Code points, the unit MSG-1 counts in (an emoji is one character). */
const codePoints = (s: string) => [...s].length;

describe("checkMessageText", () => {
  it("MSG-1: text is stored trimmed", () => {
    expect(checkMessageText("  Your results are ready.\n")).toEqual({
      ok: true,
      text: "Your results are ready.",
    });
  });

  it.each([
    ["empty", ""],
    ["spaces", "   "],
    ["tabs and newlines", "\t\n\r\n"],
    ["non-breaking and em spaces", "\u00a0\u2003\ufeff"],
  ])("MSG-1: %s only is refused with MESSAGE_EMPTY", (_what, text) => {
    expect(checkMessageText(text)).toEqual({
      ok: false,
      decision: { allowed: false, reason: "MESSAGE_EMPTY" },
    });
  });

  it("MSG-1: one character is enough", () => {
    expect(checkMessageText("k")).toEqual({ ok: true, text: "k" });
  });

  it("MSG-1: exactly 4,000 characters are accepted, 4,001 refused with MESSAGE_TOO_LONG", () => {
    expect(checkMessageText("a".repeat(4000))).toEqual({ ok: true, text: "a".repeat(4000) });
    const refused = checkMessageText("a".repeat(4001));
    expect(refused).toMatchObject({
      ok: false,
      decision: { allowed: false, reason: "MESSAGE_TOO_LONG", details: { max: 4000 } },
    });
  });

  it("MSG-1: an emoji counts as one character (4,000 emoji are 8,000 UTF-16 units and still fit)", () => {
    const emoji = "😀".repeat(4000);
    expect(emoji.length).toBe(8000);
    expect(checkMessageText(emoji)).toEqual({ ok: true, text: emoji });
    expect(checkMessageText(`${emoji}😀`)).toMatchObject({
      ok: false,
      decision: { reason: "MESSAGE_TOO_LONG" },
    });
  });

  it("MSG-1: the limit applies after trimming (4,000 characters with surrounding white space fit)", () => {
    const text = "b".repeat(4000);
    expect(checkMessageText(`\n  ${text}  \t`)).toEqual({ ok: true, text });
  });

  const whitespace = fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000", "\ufeff");
  const visible = fc.constantFrom("a", "Z", "é", "中", "😀", "🩺", "\u0301", "-", "0");

  it("MSG-1: property — near the limit, a message is accepted exactly when its trimmed text has at most 4,000 characters", () => {
    fc.assert(
      fc.property(
        fc.array(whitespace, { maxLength: 5 }),
        fc.integer({ min: 3990, max: 4010 }).chain((n) => fc.array(visible, { minLength: n, maxLength: n })),
        fc.array(whitespace, { maxLength: 5 }),
        (before, core, after) => {
          const result = checkMessageText(before.join("") + core.join("") + after.join(""));
          if (core.length <= 4000) expect(result).toEqual({ ok: true, text: core.join("") });
          else expect(result).toMatchObject({ ok: false, decision: { reason: "MESSAGE_TOO_LONG" } });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("MSG-1: property — any text is accepted exactly when 1 to 4,000 characters remain after trimming, and stored trimmed", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.string({ unit: fc.oneof(whitespace, visible) }),
          fc.array(fc.oneof(whitespace, visible), { maxLength: 10 }).map((a) => a.join("")),
        ),
        (text) => {
          const trimmed = text.trim();
          const result = checkMessageText(text);
          const n = codePoints(trimmed);
          if (n >= 1 && n <= 4000) expect(result).toEqual({ ok: true, text: trimmed });
          else
            expect(result).toMatchObject({
              ok: false,
              decision: { reason: n === 0 ? "MESSAGE_EMPTY" : "MESSAGE_TOO_LONG" },
            });
        },
      ),
      { numRuns: 1000 },
    );
  });
});

// FILE-1, restated from PRODUCT.md: 25 MB; PDF, JPEG, PNG, HEIC, plain text, DOCX, XLSX.
const MB = 1024 * 1024;
const maxBytes = 25 * MB;
const allowedTypes = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "image/heic",
  "text/plain",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];
const refusedTypes = [
  "",
  "application/zip",
  "application/x-msdownload",
  "application/x-sh",
  "application/javascript",
  "text/html",
  "image/svg+xml",
  "image/gif",
  "application/msword",
  "application/octet-stream",
  "application/pdfx",
  " application/pdf",
  "pdf",
  "constructor",
  "__proto__",
  "toString",
];

describe("checkFileDeclaration", () => {
  it("FILE-1: the size limit is 25 MB", () => {
    expect(fileRules.maxBytes).toBe(maxBytes);
  });

  it.each(allowedTypes)("FILE-1: %s is accepted", (contentType) => {
    expect(checkFileDeclaration({ sizeBytes: 1000, contentType })).toEqual({ allowed: true });
    expect(isAllowedFileType(contentType)).toBe(true);
  });

  it.each(allowedTypes)("FILE-1: %s is accepted in any letter case", (contentType) => {
    expect(checkFileDeclaration({ sizeBytes: 1000, contentType: contentType.toUpperCase() })).toEqual({
      allowed: true,
    });
  });

  it.each(refusedTypes)("FILE-1: type %j is refused with FILE_TYPE_NOT_ALLOWED", (contentType) => {
    expect(checkFileDeclaration({ sizeBytes: 1000, contentType })).toEqual({
      allowed: false,
      reason: "FILE_TYPE_NOT_ALLOWED",
    });
    expect(isAllowedFileType(contentType)).toBe(false);
  });

  it("FILE-1: exactly 25 MB is accepted, one byte more is refused with FILE_TOO_LARGE", () => {
    expect(checkFileDeclaration({ sizeBytes: maxBytes, contentType: "application/pdf" })).toEqual({
      allowed: true,
    });
    expect(checkFileDeclaration({ sizeBytes: maxBytes + 1, contentType: "application/pdf" })).toEqual({
      allowed: false,
      reason: "FILE_TOO_LARGE",
      details: { maxBytes },
    });
  });

  it.each([0, -1, 0.5, Number.NaN])(
    "FILE-1: a declared size of %s is refused with FILE_EMPTY",
    (sizeBytes) => {
      expect(checkFileDeclaration({ sizeBytes, contentType: "application/pdf" })).toEqual({
        allowed: false,
        reason: "FILE_EMPTY",
      });
    },
  );

  it("FILE-1: one byte is accepted", () => {
    expect(checkFileDeclaration({ sizeBytes: 1, contentType: "text/plain" })).toEqual({ allowed: true });
  });
});

describe("displayFileName", () => {
  it.each([
    ["scan.pdf", "scan.pdf"],
    ["Lab results 2025-03.pdf", "Lab results 2025-03.pdf"],
    ["/home/ana/scan.pdf", "scan.pdf"],
    ["C:\\Users\\Ana\\Documents\\scan.pdf", "scan.pdf"],
    ["../../etc/passwd", "passwd"],
    ["..\\..\\boot.ini", "boot.ini"],
    ["mixed/dirs\\and/file.png", "file.png"],
    ["Ärztlicher Befund 😀.pdf", "Ärztlicher Befund 😀.pdf"],
  ])("FILE-4: %j is shown as %j (path parts stripped)", (name, shown) => {
    expect(displayFileName(name)).toBe(shown);
  });

  it.each([
    ["re\u0000port.pdf", "report.pdf"],
    ["\u001b[31mred\u001b[0m.txt", "[31mred[0m.txt"],
    ["bell\u0007.png", "bell.png"],
    ["del\u007f.png", "del.png"],
    ["line\r\nbreak.pdf", "linebreak.pdf"],
  ])("FILE-4: control characters are removed from %j", (name, shown) => {
    expect(displayFileName(name)).toBe(shown);
  });

  it("FILE-4: C1 control characters (U+0080–U+009F) are removed too", () => {
    expect(displayFileName("report\u0085\u009b31m.pdf")).toBe("report31m.pdf");
  });

  it("FILE-4: runs of white space are folded and the ends trimmed", () => {
    expect(displayFileName("  lab    results\u00a0\u2003.pdf  ")).toBe("lab results .pdf");
  });

  it.each(["", "   ", "/", "a/b/", "C:\\dir\\", ".", "..", "dir/..", "\u0000\u0001", " \u0007 "])(
    "FILE-4: %j leaves nothing to show: null",
    (name) => {
      expect(displayFileName(name)).toBeNull();
    },
  );

  it("FILE-4: names are capped at 255 characters (code points, so an emoji is never split)", () => {
    expect(displayFileName("a".repeat(255))).toBe("a".repeat(255));
    expect(displayFileName("a".repeat(300))).toBe("a".repeat(255));
    expect(displayFileName("😀".repeat(300))).toBe("😀".repeat(255));
  });

  const nameChar = fc.oneof(
    fc.constantFrom(
      "/",
      "\\",
      "\u0000",
      "\u0009",
      "\u001f",
      "\u007f",
      "\u0085",
      "\u009f",
      " ",
      "\u2028",
      ".",
    ),
    fc.constantFrom("a", "Z", "é", "😀", "中", "-", "_"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  );
  const nameArb = fc.oneof(
    fc.string({ unit: nameChar, maxLength: 40 }),
    fc.string({ unit: nameChar, minLength: 250, maxLength: 320 }),
    fc.string({ unit: "binary" }),
  );

  it("FILE-4: property — a shown name never contains '/', '\\' or a control character, and is at most 255 characters", () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        const shown = displayFileName(name);
        if (shown === null) return;
        expect(shown).not.toMatch(/[/\\]/);
        expect(shown).not.toMatch(/\p{Cc}/u);
        expect(codePoints(shown)).toBeLessThanOrEqual(255);
        expect(shown.length).toBeGreaterThan(0);
        expect(shown.trim()).not.toBe("");
      }),
      { numRuns: 2000 },
    );
  });

  it("FILE-4: property — a plain name (letters, digits, dots, dashes, single spaces) is shown exactly as uploaded", () => {
    const plain = fc
      .stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9 ._-]{0,60}[A-Za-z0-9_-]$/)
      .filter((s) => !/ {2}/.test(s));
    fc.assert(
      fc.property(plain, (name) => {
        expect(displayFileName(name)).toBe(name);
      }),
    );
  });
});

describe("canDeleteMessage", () => {
  const epoch = new Date("2025-01-01T00:00:00Z");
  const patientRef: PersonRef = { kind: "patient", id: "p1" };
  const practitionerRef: PersonRef = { kind: "staff", id: "s1" };

  function message(sender: PersonRef, body: MessageBody = { kind: "text", text: "hello" }): Message {
    return {
      id: "m1",
      clinicId,
      conversationId: "conv-p1",
      seq: 1,
      clientId: "client-1",
      sender,
      sentAt: epoch,
      body,
    };
  }

  const practitioner = asStaff(staff({ id: "s1", role: "practitioner" }));
  const admin = asStaff(staff({ id: "s7", role: "admin" }));
  const otherStaff = asStaff(staff({ id: "s2", role: "staff" }));
  const otherPractitioner = asStaff(staff({ id: "s3", role: "practitioner" }));
  const thePatient = asPatient(patient({ id: "p1" }));
  const otherPatient = asPatient(patient({ id: "p2" }));
  const bodies: MessageBody[] = [
    { kind: "text", text: "hello" },
    { kind: "file", fileId: "f1" },
  ];

  it.each(bodies)("DEL-1: staff can delete their own message ($kind)", (body) => {
    expect(canDeleteMessage(message(practitionerRef, body), practitioner)).toEqual({ allowed: true });
  });

  it.each(bodies)("DEL-1: a patient can delete their own message ($kind)", (body) => {
    expect(canDeleteMessage(message(patientRef, body), thePatient)).toEqual({ allowed: true });
  });

  it.each(bodies)("DEL-1: an admin of the clinic can delete anyone's message ($kind)", (body) => {
    expect(canDeleteMessage(message(patientRef, body), admin)).toEqual({ allowed: true });
    expect(canDeleteMessage(message(practitionerRef, body), admin)).toEqual({ allowed: true });
  });

  it("DEL-1: other staff (practitioner or staff role) cannot delete someone else's message (FORBIDDEN)", () => {
    for (const deleter of [otherStaff, otherPractitioner]) {
      expect(canDeleteMessage(message(patientRef), deleter)).toEqual({ allowed: false, reason: "FORBIDDEN" });
      expect(canDeleteMessage(message(practitionerRef), deleter)).toEqual({
        allowed: false,
        reason: "FORBIDDEN",
      });
    }
  });

  it("DEL-1: a patient cannot delete what others sent (FORBIDDEN)", () => {
    expect(canDeleteMessage(message(practitionerRef), thePatient)).toEqual({
      allowed: false,
      reason: "FORBIDDEN",
    });
    expect(canDeleteMessage(message(patientRef), otherPatient)).toEqual({
      allowed: false,
      reason: "FORBIDDEN",
    });
  });

  it("DEL-1: being the sender means the same kind and id (a staff member whose id equals the patient's is not the patient)", () => {
    const lookalike = asStaff(staff({ id: "p1", role: "staff" }));
    expect(canDeleteMessage(message(patientRef), lookalike)).toEqual({ allowed: false, reason: "FORBIDDEN" });
  });

  it("DEL-1/ELIG-6: a deactivated sender or admin cannot delete", () => {
    expect(
      canDeleteMessage(message(practitionerRef), asStaff(staff({ id: "s1", active: false }))),
    ).toMatchObject({
      allowed: false,
      reason: "STAFF_INACTIVE",
    });
    expect(
      canDeleteMessage(message(practitionerRef), asStaff(staff({ id: "s7", role: "admin", active: false }))),
    ).toMatchObject({ allowed: false, reason: "STAFF_INACTIVE" });
    expect(
      canDeleteMessage(message(patientRef), asPatient(patient({ id: "p1", portalAccount: "disabled" }))),
    ).toMatchObject({ allowed: false, reason: "PATIENT_PORTAL_INACTIVE" });
  });

  it("DEL-1: a message already deleted cannot be deleted again (ALREADY_DELETED), not even by its sender or an admin", () => {
    const deleted = message(practitionerRef, {
      kind: "deleted",
      deletedAt: epoch,
      deletedBy: practitionerRef,
    });
    expect(canDeleteMessage(deleted, practitioner)).toEqual({ allowed: false, reason: "ALREADY_DELETED" });
    expect(canDeleteMessage(deleted, admin)).toEqual({ allowed: false, reason: "ALREADY_DELETED" });
  });

  it("DEL-1/ELIG-5: an admin of another clinic cannot delete this clinic's messages, and learns nothing (NOT_FOUND)", () => {
    const foreignAdmin = asStaff(staff({ id: "x7", clinicId: otherClinicId, role: "admin" }));
    expect(canDeleteMessage(message(patientRef), foreignAdmin)).toMatchObject({
      allowed: false,
      reason: "NOT_FOUND",
    });
    const foreignStaff = asStaff(staff({ id: "x2", clinicId: otherClinicId, role: "staff" }));
    expect(canDeleteMessage(message(patientRef), foreignStaff)).toMatchObject({
      allowed: false,
      reason: "NOT_FOUND",
    });
  });
});
