import { describe, expect, it } from "vitest";
import {
  fillTemplate,
  marksLeft,
  type PlaceholderValues,
  placeholders,
  placeholderValues,
  unknownPlaceholders,
} from "../../src/templates/index";

const everything: PlaceholderValues = {
  "patient first name": "Harriet",
  "patient name": "Harriet Okonkwo",
  "author name": "Priya Raman",
  "clinic name": "Lakeside Clinic",
  "next appointment date": "Tuesday, March 3, 2026",
  "next appointment time": "9:30 AM",
  "next appointment practitioner": "Priya Raman",
};

describe("TPL-1 placeholder filling", () => {
  it("TPL-1: every placeholder of the fixed list is filled from its value", () => {
    for (const placeholder of placeholders) {
      const filled = fillTemplate(`Value: {${placeholder}}.`, everything);
      expect(filled).toEqual({ text: `Value: ${everything[placeholder]}.`, missing: [] });
    }
  });

  it("TPL-1: placeholders are read whatever their case and inner spacing", () => {
    expect(fillTemplate("Hi {Patient  First Name}, {  clinic name }", everything).text).toBe(
      "Hi Harriet, Lakeside Clinic",
    );
  });

  it("TPL-1: a missing value stays visibly marked, once in `missing` however often it is used", () => {
    const values = { ...everything, "patient first name": null, "next appointment date": "  " };
    const filled = fillTemplate(
      "Hi {patient first name}, see you {next appointment date}. Bye {patient first name}.",
      values,
    );
    expect(filled.text).toBe(
      "Hi [patient first name], see you [next appointment date]. Bye [patient first name].",
    );
    expect(filled.missing).toEqual(["[patient first name]", "[next appointment date]"]);
    // Sending waits until the author has edited every mark away.
    expect(marksLeft(filled.text, filled.missing)).toEqual(filled.missing);
    const edited = filled.text.replaceAll("[patient first name]", "Harriet");
    expect(marksLeft(edited, filled.missing)).toEqual(["[next appointment date]"]);
    expect(marksLeft(edited.replace("[next appointment date]", "soon"), filled.missing)).toEqual([]);
  });

  it("TPL-1: placeholders outside the fixed list are named, and left as written when filling", () => {
    expect(unknownPlaceholders("Hi {patient first name}, your {insurance id} and {insurance id}")).toEqual([
      "insurance id",
    ]);
    expect(unknownPlaceholders("Plain text, {clinic name}")).toEqual([]);
    expect(fillTemplate("{insurance id}", everything)).toEqual({ text: "{insurance id}", missing: [] });
  });

  it("TPL-1: values come from the patient, the author, the clinic and the next appointment", () => {
    const values = placeholderValues({
      patientName: "  Harriet   Okonkwo ",
      authorName: "Priya Raman",
      clinic: { name: "Lakeside Clinic", timeZone: "America/New_York" },
      nextAppointment: { startsAt: new Date("2026-03-03T14:30:00Z"), practitionerName: "Omar Haddad" },
    });
    expect(values).toEqual({
      "patient first name": "Harriet",
      "patient name": "Harriet   Okonkwo",
      "author name": "Priya Raman",
      "clinic name": "Lakeside Clinic",
      "next appointment date": "Tuesday, March 3, 2026",
      "next appointment time": "9:30 AM",
      "next appointment practitioner": "Omar Haddad",
    });
  });

  it("TPL-1: without a patient (Team Chat) or an appointment, their placeholders have no value", () => {
    const values = placeholderValues({
      patientName: null,
      authorName: "Priya Raman",
      clinic: { name: "Lakeside Clinic", timeZone: "UTC" },
      nextAppointment: null,
    });
    expect(values["patient first name"]).toBeNull();
    expect(values["patient name"]).toBeNull();
    expect(values["next appointment date"]).toBeNull();
    expect(values["next appointment time"]).toBeNull();
    expect(values["next appointment practitioner"]).toBeNull();
    expect(values["author name"]).toBe("Priya Raman");
  });

  it("TPL-1: the appointment's date and time are on the clinic's wall clock, across DST, in two zones", () => {
    const at = (iso: string, timeZone: string) => {
      const v = placeholderValues({
        patientName: "A B",
        authorName: "C",
        clinic: { name: "X", timeZone },
        nextAppointment: { startsAt: new Date(iso), practitionerName: null },
      });
      return `${v["next appointment date"]} ${v["next appointment time"]}`;
    };
    // New York: EST (UTC−5) before 8 March 2026, EDT (UTC−4) after.
    expect(at("2026-03-07T14:00:00Z", "America/New_York")).toBe("Saturday, March 7, 2026 9:00 AM");
    expect(at("2026-03-09T13:00:00Z", "America/New_York")).toBe("Monday, March 9, 2026 9:00 AM");
    // Berlin: CET (UTC+1) before 29 March 2026, CEST (UTC+2) after.
    expect(at("2026-03-28T08:00:00Z", "Europe/Berlin")).toBe("Saturday, March 28, 2026 9:00 AM");
    expect(at("2026-03-30T07:00:00Z", "Europe/Berlin")).toBe("Monday, March 30, 2026 9:00 AM");
    // The same instant is another day in each zone.
    expect(at("2026-03-10T03:30:00Z", "America/New_York")).toBe("Monday, March 9, 2026 11:30 PM");
    expect(at("2026-03-10T03:30:00Z", "Europe/Berlin")).toBe("Tuesday, March 10, 2026 4:30 AM");
    // Midnight and noon read as 12.
    expect(at("2026-07-01T04:00:00Z", "America/New_York")).toBe("Wednesday, July 1, 2026 12:00 AM");
    expect(at("2026-07-01T10:00:00Z", "Europe/Berlin")).toBe("Wednesday, July 1, 2026 12:00 PM");
  });
});
