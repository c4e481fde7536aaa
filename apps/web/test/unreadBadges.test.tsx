import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ConversationList } from "../src/chat/ConversationList";
import type { ConversationSummary, PersonView } from "../src/rpc/types";
import { renderWithClient } from "./support/renderWithClient";

const me = { kind: "staff" as const, id: "s-me" };
const people = new Map<string, PersonView>([
  [
    "patient:p-1",
    { kind: "patient", id: "p-1", name: "Elena Garcia", role: null, active: true, dateOfBirth: null },
  ],
  [
    "patient:p-2",
    { kind: "patient", id: "p-2", name: "Marcus Chen", role: null, active: true, dateOfBirth: null },
  ],
  [
    "staff:s-2",
    { kind: "staff", id: "s-2", name: "Jordan Lee", role: "staff", active: true, dateOfBirth: null },
  ],
]);

function summary(
  id: string,
  kind: "patient" | "team",
  other: { kind: "patient" | "staff"; id: string },
  unreadCount: number,
): ConversationSummary {
  return {
    conversation: {
      id,
      clinicId: "clinic",
      kind,
      patientId: kind === "patient" ? other.id : null,
      key: `${kind}:${other.id}`,
      createdAt: "2026-03-03T08:00:00.000Z",
      lastActivityAt: "2026-03-03T09:00:00.000Z",
      lastSeq: 10,
      name: null,
    },
    participants: [me, other],
    unreadCount,
    readUpToSeq: 10 - unreadCount,
  };
}

function renderList(items: ConversationSummary[], totalUnread: number) {
  return renderWithClient(
    <ConversationList
      items={items}
      people={people}
      me={me}
      audience="staff"
      clinicName="Maple Grove"
      totalUnread={totalUnread}
    />,
    { route: true },
  );
}

describe("unread badges on the conversation list (MSG-3)", () => {
  it("shows each conversation's unread count, announced in words, and none where all is read", async () => {
    renderList(
      [
        summary("c-1", "patient", { kind: "patient", id: "p-1" }, 3),
        summary("c-2", "patient", { kind: "patient", id: "p-2" }, 0),
        summary("c-3", "team", { kind: "staff", id: "s-2" }, 1),
      ],
      4,
    );
    const elena = await screen.findByRole("link", { name: /Elena Garcia/ });
    expect(elena).toHaveAccessibleName(expect.stringContaining("3 unread messages"));
    expect(within(elena).getByTestId("unread-badge")).toHaveTextContent("3");
    const marcus = screen.getByRole("link", { name: /Marcus Chen/ });
    expect(within(marcus).queryByTestId("unread-badge")).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Jordan Lee/ })).toHaveAccessibleName(
      expect.stringContaining("1 unread message"),
    );
    expect(screen.getByTestId("total-unread")).toHaveTextContent("4 unread");
  });

  it("caps a large count at 99+ on screen but says the real number", async () => {
    renderList([summary("c-1", "patient", { kind: "patient", id: "p-1" }, 120)], 120);
    const link = await screen.findByRole("link", { name: /Elena Garcia/ });
    expect(within(link).getByTestId("unread-badge")).toHaveTextContent("99+");
    expect(link).toHaveAccessibleName(expect.stringContaining("120 unread messages"));
  });

  it("says all is read when nothing is unread", async () => {
    renderList([summary("c-2", "patient", { kind: "patient", id: "p-2" }, 0)], 0);
    await screen.findByRole("link", { name: /Marcus Chen/ });
    expect(screen.getByTestId("total-unread")).toHaveTextContent("All read");
    expect(screen.queryByTestId("unread-badge")).not.toBeInTheDocument();
  });
});
