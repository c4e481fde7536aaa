import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  details,
  patient,
  practitioner,
  renderConversation,
  textMessage,
} from "./support/conversationFixtures";

describe("the conversation view", () => {
  it('MSG-3: "Seen by" shows from the read markers loaded with the conversation, so it survives a reload', async () => {
    renderConversation(
      details({
        readMarkers: [
          { person: { kind: "patient", id: patient.id }, readUpToSeq: 2 },
          { person: { kind: "staff", id: practitioner.id }, readUpToSeq: 2 },
        ],
      }),
      [textMessage(1, practitioner, "Your results are in."), textMessage(2, practitioner, "All normal.")],
    );
    expect(await screen.findByText("Seen by Elena Garcia")).toBeInTheDocument();
  });

  it('MSG-3: no "Seen by" when the others have not read the last message', async () => {
    renderConversation(
      details({ readMarkers: [{ person: { kind: "patient", id: patient.id }, readUpToSeq: 1 }] }),
      [textMessage(1, practitioner, "Your results are in."), textMessage(2, practitioner, "All normal.")],
    );
    await screen.findByText("All normal.");
    expect(screen.queryByText(/Seen by/)).not.toBeInTheDocument();
  });

  it("groups consecutive messages of one sender: the name and time show once per run, and stay for screen readers", async () => {
    const { container } = renderConversation(details({ readUpToSeq: 24 }), [
      textMessage(1, patient, "Hello"),
      textMessage(2, patient, "Quick question about my dose"),
      textMessage(3, patient, "Is it twice a day?"),
      textMessage(4, practitioner, "Yes, morning and evening."),
      // Twenty minutes later: a new run of the same sender.
      textMessage(24, practitioner, "Any side effects so far?"),
    ]);
    await screen.findByText("Any side effects so far?");
    const items = [...container.querySelectorAll("li.message")];
    expect(items.map((li) => li.classList.contains("message--grouped"))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
    const shownMeta = container.querySelectorAll(".message__meta:not(.visually-hidden)");
    expect([...shownMeta].map((meta) => meta.querySelector(".message__sender")?.textContent)).toEqual([
      "Elena Garcia",
      "You",
      "You",
    ]);
    // Each grouped message still names its sender and time for a screen reader.
    const grouped = items[1] as HTMLElement;
    expect(within(grouped).getByText("Elena Garcia").closest(".visually-hidden")).not.toBeNull();
    expect(grouped.querySelector("time")).toHaveAttribute("dateTime", "2026-03-03T09:02:00.000Z");
  });

  it("puts a date separator before each day, which also ends a run of one sender", async () => {
    const { container } = renderConversation(details({ readUpToSeq: 3 }), [
      textMessage(1, patient, "Monday question", "2026-03-02T15:00:00.000Z"),
      textMessage(2, patient, "Tuesday follow-up", "2026-03-03T15:01:00.000Z"),
      textMessage(3, patient, "Same day", "2026-03-03T15:02:00.000Z"),
    ]);
    await screen.findByText("Same day");
    const rows = [...container.querySelectorAll(".message-list__items > li")];
    expect(rows.map((li) => (li.classList.contains("history-divider") ? "day" : "message"))).toEqual([
      "day",
      "message",
      "day",
      "message",
      "message",
    ]);
    const days = [...container.querySelectorAll(".history-divider time")];
    expect(days.map((t) => t.getAttribute("dateTime"))).toEqual([
      "2026-03-02T15:00:00.000Z",
      "2026-03-03T15:01:00.000Z",
    ]);
    expect(days[0]).toHaveTextContent(/March 2|2 March/);
    expect(container.querySelector('[data-message-id="m-2"]')).not.toHaveClass("message--grouped");
  });

  it("marks where the unread messages start, once, before the first message by others after the reader's marker", async () => {
    const { container } = renderConversation(details({ readUpToSeq: 2 }), [
      textMessage(1, patient, "Hello"),
      textMessage(2, practitioner, "Hi Elena"),
      textMessage(3, patient, "Question one"),
      textMessage(4, patient, "Question two"),
    ]);
    const divider = await screen.findByText("New messages");
    expect(container.querySelectorAll(".history-divider--unread")).toHaveLength(1);
    expect(divider.nextElementSibling).toHaveAttribute("data-message-id", "m-3");
  });

  it("marks no unread start when every loaded message is unread and older ones are not loaded yet", async () => {
    const { container } = renderConversation(
      details({ readUpToSeq: 0 }),
      [textMessage(46, patient, "Note 46"), textMessage(47, patient, "Note 47")],
      {},
      46,
    );
    await screen.findByText("Note 47");
    expect(container.querySelector(".history-divider--unread")).toBeNull();
  });

  it("links web addresses in a message, opened in a new tab with noopener noreferrer; other text stays text", async () => {
    renderConversation(details(), [
      textMessage(
        1,
        practitioner,
        "Directions: https://maps.example.org/clinic?floor=2. Forms at www.example.org/forms, not results.pdf",
      ),
    ]);
    const map = await screen.findByRole("link", { name: "https://maps.example.org/clinic?floor=2" });
    expect(map).toHaveAttribute("href", "https://maps.example.org/clinic?floor=2");
    expect(map).toHaveAttribute("target", "_blank");
    expect(map).toHaveAttribute("rel", "noopener noreferrer");
    const forms = screen.getByRole("link", { name: "www.example.org/forms" });
    expect(forms).toHaveAttribute("href", "https://www.example.org/forms");
    expect(forms).toHaveAttribute("rel", "noopener noreferrer");
    expect(screen.getAllByRole("link", { name: /example|results/ })).toHaveLength(2);
    expect(screen.getByText(/not results\.pdf/)).toBeInTheDocument();
  });

  it("never turns javascript: or other schemes into links", async () => {
    renderConversation(details(), [
      textMessage(1, patient, "javascript:alert(1) mailto:a@b.example ftp://x.example"),
    ]);
    await screen.findByText(/javascript:alert/);
    expect(screen.queryAllByRole("link", { name: /alert|mailto|ftp/ })).toHaveLength(0);
  });
});
