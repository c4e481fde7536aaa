import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  notificationChannels,
  notificationLink,
  notificationPayload,
  smsNotification,
} from "../../src/notifications/channels";
import type { NotificationRecipient } from "../../src/notifications/model";
import { expectedChannels, recipientArb } from "./simulation";

const numRuns = 500;

function recipient(overrides: Partial<NotificationRecipient> = {}): NotificationRecipient {
  return {
    person: { kind: "patient", id: "p1" },
    email: "pat@example.org",
    mobilePhone: "+15550100",
    smsConsent: true,
    emailNotifications: true,
    ...overrides,
  };
}
const smsOn = { smsNotificationsEnabled: true };
const smsOff = { smsNotificationsEnabled: false };
const staff = { kind: "staff", id: "s1" } as const;

describe("notificationChannels", () => {
  it("NOTIF-3: a patient gets email and SMS when the clinic enabled SMS and they have a number and consent", () => {
    expect(notificationChannels(smsOn, recipient())).toEqual(["email", "sms"]);
  });

  it.each([
    ["the clinic did not enable SMS", smsOff, recipient()],
    ["the patient has no mobile number", smsOn, recipient({ mobilePhone: null })],
    ["the patient has a blank mobile number", smsOn, recipient({ mobilePhone: "  " })],
    ["the patient did not consent", smsOn, recipient({ smsConsent: false })],
  ])("NOTIF-3: no SMS when %s", (_why, clinic, r) => {
    expect(notificationChannels(clinic, r)).toEqual(["email"]);
  });

  it("NOTIF-3: a patient's email cannot be disabled", () => {
    expect(notificationChannels(smsOff, recipient({ emailNotifications: false }))).toEqual(["email"]);
  });

  it("NOTIF-3: a patient without an email address gets only what else applies", () => {
    expect(notificationChannels(smsOff, recipient({ email: null }))).toEqual([]);
    expect(notificationChannels(smsOn, recipient({ email: "" }))).toEqual(["sms"]);
  });

  it("NOTIF-3: staff get email unless they turned it off, and never SMS", () => {
    expect(notificationChannels(smsOn, recipient({ person: staff }))).toEqual(["email"]);
    expect(notificationChannels(smsOn, recipient({ person: staff, emailNotifications: false }))).toEqual([]);
    expect(notificationChannels(smsOn, recipient({ person: staff, email: null }))).toEqual([]);
  });

  it("NOTIF-3: the channels follow the rule for every combination of facts", () => {
    fc.assert(
      fc.property(fc.boolean(), recipientArb, (smsNotificationsEnabled, r) => {
        const clinic = { name: "C", smsNotificationsEnabled };
        const channels = notificationChannels(clinic, r);
        expect(channels).toEqual(
          expectedChannels({ delayMs: 0, startMs: 0, clinic, recipient: r, signInUrl: "https://x.example" }),
        );
        const patient = r.person.kind === "patient";
        expect(channels.includes("sms")).toBe(
          patient && smsNotificationsEnabled && r.mobilePhone !== null && r.smsConsent,
        );
        if (patient) expect(channels.includes("email")).toBe(r.email !== null);
      }),
      { numRuns },
    );
  });
});

describe("notificationPayload", () => {
  it("NOTIF-4: carries only the clinic's name and the sign-in link", () => {
    expect(notificationPayload("Lakeside Clinic", "https://portal.example/sign-in")).toEqual({
      subject: "New secure message from Lakeside Clinic",
      text: "You have a new secure message from Lakeside Clinic. Sign in to read it.\n\nhttps://portal.example/sign-in",
      clinicName: "Lakeside Clinic",
      link: "https://portal.example/sign-in",
    });
  });

  it("NOTIF-4: a clinic name cannot inject email headers", () => {
    const payload = notificationPayload(
      "Evil\r\nBcc: all@example.org\u2028X\u202E",
      "https://x.example\r\nBcc: y",
    );
    expect(payload.subject).toBe("New secure message from Evil Bcc: all@example.org X");
    expect(payload.clinicName).toBe("Evil Bcc: all@example.org X");
    expect(payload.link).toBe("https://x.exampleBcc: y");
    expect(payload.text.split("\n")).toHaveLength(3);
  });

  it("HOURS-4: the clinic's guidelines stand as a paragraph of their own before the link, cleaned of control characters", () => {
    const payload = notificationPayload(
      "Lakeside Clinic",
      "https://portal.example/sign-in",
      "patient",
      "For emergencies call 911.\r\nWe answer within a day.\u202E\u0007",
    );
    expect(payload.text).toBe(
      "You have a new secure message from Lakeside Clinic. Sign in to read it.\n\nFor emergencies call 911.\nWe answer within a day.\n\nhttps://portal.example/sign-in",
    );
    expect(payload.subject).toBe("New secure message from Lakeside Clinic");
  });

  it("NOTIF-4: a clinic name that is empty once cleaned still gives a readable sentence", () => {
    expect(notificationPayload(" \n\t", "https://x.example").text).toBe(
      "You have a new secure message from your clinic. Sign in to read it.\n\nhttps://x.example",
    );
  });

  it("NOTIF-4: for any clinic name the subject stays one line and the text follows the template", () => {
    const anyText = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "binary-ascii" }));
    fc.assert(
      fc.property(anyText, anyText, (name, link) => {
        const payload = notificationPayload(name, link);
        const unsafe = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;
        expect(payload.subject).not.toMatch(unsafe);
        expect(payload.clinicName).not.toMatch(unsafe);
        expect(payload.link).not.toMatch(unsafe);
        expect(payload.clinicName).not.toBe("");
        expect(payload.subject).toBe(`New secure message from ${payload.clinicName}`);
        expect(payload.text).toBe(
          `You have a new secure message from ${payload.clinicName}. Sign in to read it.\n\n${payload.link}`,
        );
        expect(Object.keys(payload).sort()).toEqual(["clinicName", "link", "subject", "text"]);
      }),
      { numRuns },
    );
  });
});

describe("smsNotification", () => {
  /** The GSM 03.38 basic alphabet: a text in it fits 160 characters in one segment. */
  const gsm7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;

  it("NOTIF-4, HOURS-4: a text message carries the sentence and the link on one line, not the guidelines (HOURS-4 names the email)", () => {
    const email = notificationPayload(
      "Lakeside Clinic",
      "https://portal.example/chat/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      "patient",
      "For emergencies call 911. We answer within one business day.",
    );
    const sms = smsNotification(email);
    expect(sms.text).toBe(
      "You have a new secure message from Lakeside Clinic. Sign in to read it. https://portal.example/chat/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
    );
    expect(sms.text.length).toBeLessThanOrEqual(160);
    expect(sms.text).toMatch(gsm7);
    expect({ ...sms, text: email.text }).toEqual(email);
  });

  it("NOTIF-4, HOURS-4: for any clinic name, link and guidelines the text is the sentence and the link alone", () => {
    const anyText = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "binary-ascii" }));
    fc.assert(
      fc.property(anyText, anyText, anyText, (name, link, guidelines) => {
        const email = notificationPayload(name, link, "patient", guidelines);
        const sms = smsNotification(email);
        expect(sms.text).toBe(
          `You have a new secure message from ${email.clinicName}. Sign in to read it. ${email.link}`,
        );
        expect(sms.text).not.toMatch(/[\r\n]/);
      }),
      { numRuns },
    );
  });
});

describe("notificationLink and who reads the notification", () => {
  it("NOTIF-4: a burst about one conversation links to it; a burst about several links to the list", () => {
    expect(notificationLink("https://clinic.example/portal", ["c-1"])).toBe(
      "https://clinic.example/portal/chat/c-1",
    );
    expect(notificationLink("https://clinic.example/staff/", ["c-1", "c-2"])).toBe(
      "https://clinic.example/staff/chat",
    );
    expect(notificationLink("https://clinic.example/staff", [])).toBe("https://clinic.example/staff/chat");
    expect(notificationLink("https://clinic.example/portal", ["a/b?c"])).toBe(
      "https://clinic.example/portal/chat/a%2Fb%3Fc",
    );
  });

  it("NOTIF-4: staff read that a patient wrote, never which patient; patients read that their clinic wrote", () => {
    const link = "https://clinic.example/staff/chat/c-1";
    expect(notificationPayload("Lakeside Clinic", link, "staff")).toEqual({
      subject: "New secure message from a patient at Lakeside Clinic",
      text: `A patient sent you a new secure message at Lakeside Clinic. Sign in to read it.\n\n${link}`,
      clinicName: "Lakeside Clinic",
      link,
    });
    expect(notificationPayload("Lakeside Clinic", link, "patient").text).toBe(
      `You have a new secure message from Lakeside Clinic. Sign in to read it.\n\n${link}`,
    );
  });
});
