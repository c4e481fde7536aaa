/// <reference types="node" />
/**
 * The README's example is `example.ts`, quoted verbatim; this test runs it (by importing it) and
 * fails when the README's copy differs by a single byte, so the documentation cannot drift.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chat, conversation, message, outbox, uow } from "./example";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const example = readFileSync(new URL("./example.ts", import.meta.url), "utf8");

/** The bodies of the README's ```ts blocks, each with the newline that ends its last line. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

describe("README example", () => {
  it("the README quotes test/readme/example.ts byte for byte in a ```ts block", () => {
    expect(tsBlocks(readme)).toContain(example);
  });

  it("the README has exactly one TypeScript example (the one that runs)", () => {
    expect(tsBlocks(readme)).toHaveLength(1);
  });

  it("START-1/MSG-1: the example starts a patient chat and sends the text message", () => {
    expect(conversation).toMatchObject({ kind: "patient", clinicId: "clinic-1", patientId: "ana" });
    expect(message).toMatchObject({
      conversationId: conversation.id,
      seq: 1,
      sender: { kind: "staff", id: "dr-lee" },
      body: { kind: "text", text: "Your lab results are ready." },
    });
  });

  it("MSG-1: as the example's comment says, a retry with the same client id returns the same message", async () => {
    const drLee = { clinicId: "clinic-1", person: { kind: "staff", id: "dr-lee" } } as const;
    const again = await chat.sendMessage(drLee, {
      conversationId: conversation.id,
      clientId: "msg-1",
      text: "Your lab results are ready.",
    });
    expect(again.id).toBe(message.id);
  });

  it("ENT-1: as the example's comment says, patient chat is off by default and the example turned it on", async () => {
    const clinic = await uow.run("clinic-1", (stores) => stores.clinics.get("clinic-1"));
    expect(clinic?.settings.patientChatEnabled).toBe(true);
    expect(clinic?.settings.patientMessagingEnabled).toBe(true);
  });

  it("NOTIF-1: the message's notification for the patient is scheduled with it, and nothing is sent before the delay", () => {
    const timers = uow.scheduledTimers();
    expect(timers.map((t) => t.timer.recipient)).toEqual([{ kind: "patient", id: "ana" }]);
    expect(outbox).toEqual([]);
  });
});
