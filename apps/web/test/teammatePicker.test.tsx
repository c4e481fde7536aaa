import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { AddTeammate } from "../src/chat/AddTeammate";
import { StartChatDialog } from "../src/chat/StartChatDialog";
import { nameMatches } from "../src/chat/useTeammates";
import type { SearchResult } from "../src/rpc/types";
import { renderWithClient } from "./support/renderWithClient";

function teammate(id: string, name: string, role: "admin" | "practitioner" | "staff"): SearchResult {
  return {
    person: { kind: "staff", id, name, role, active: true, dateOfBirth: null },
    startChat: { allowed: true },
  };
}

const team = [
  teammate("s-alex", "Alex Morgan", "admin"),
  teammate("s-jordan", "Jordan Lee", "staff"),
  teammate("s-priya", "Dr. Priya Shah", "practitioner"),
  teammate("s-samuel", "Dr. Samuel Okafor", "practitioner"),
];

describe("the teammate picker", () => {
  it("matches any part of a name, every word typed, ignoring case and accents", () => {
    expect(nameMatches("Dr. Samuel Okafor", "kaf")).toBe(true);
    expect(nameMatches("Jordan Lee", "lee jor")).toBe(true);
    expect(nameMatches("Zoë Adams", "zoe")).toBe(true);
    expect(nameMatches("Jordan Lee", "jordan x")).toBe(false);
  });

  it("ELIG-3: Start a chat › Teammate browses the team, finds within names, and keeps earlier picks as chips while searching", async () => {
    const user = userEvent.setup();
    const { calls } = renderWithClient(<StartChatDialog open onClose={() => {}} />, {
      route: true,
      handlers: {
        "clinic.entitlements": () => ({ entitlements: { teamChat: { allowed: true } } }),
        "people.teammates": () => team,
        "conversations.startTeam": () => ({ conversation: { id: "c-team" }, created: true }),
      },
    });
    await user.click(await screen.findByRole("radio", { name: "Teammate" }));
    // Browsing: the whole team with nothing typed.
    for (const { person } of team)
      expect(await screen.findByRole("checkbox", { name: person.name })).toBeInTheDocument();

    await user.click(screen.getByRole("checkbox", { name: "Dr. Priya Shah" }));
    await user.type(screen.getByLabelText("Search teammates by name"), "kaf");
    expect(await screen.findByRole("checkbox", { name: "Dr. Samuel Okafor" })).toBeInTheDocument();
    expect(screen.queryByRole("checkbox", { name: "Dr. Priya Shah" })).not.toBeInTheDocument();
    const chips = screen.getByRole("list", { name: "Chosen teammates" });
    expect(within(chips).getByText("Dr. Priya Shah")).toBeInTheDocument();

    await user.click(screen.getByRole("checkbox", { name: "Dr. Samuel Okafor" }));
    expect(
      within(chips)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Dr. Priya Shah×", "Dr. Samuel Okafor×"]);
    await user.click(within(chips).getByRole("button", { name: "Remove Dr. Samuel Okafor" }));
    expect(within(chips).queryByText("Dr. Samuel Okafor")).not.toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Dr. Samuel Okafor" })).not.toBeChecked();

    await user.click(screen.getByRole("button", { name: "Start Chat" }));
    await expect
      .poll(() => calls.find((c) => c.path === "conversations.startTeam")?.input)
      .toEqual({
        staffIds: ["s-priya"],
      });
    // Teammates are filtered in the browser: no name search goes to the server for them.
    expect(calls.some((c) => c.path === "people.search")).toBe(false);
  });

  it("ELIG-4: Add teammate offers no Add for people already in the conversation, and says what happened", async () => {
    const user = userEvent.setup();
    renderWithClient(<AddTeammate conversationId="c-1" participantIds={["s-priya", "s-me"]} />, {
      route: true,
      handlers: {
        "people.teammates": () => team,
        "conversations.addParticipant": () => ({ added: true }),
      },
    });
    await user.click(await screen.findByRole("button", { name: "Add teammate" }));
    const list = await screen.findByRole("list", { name: "Your team" });
    const priya = within(list).getByText("Dr. Priya Shah").closest("li") as HTMLElement;
    expect(within(priya).queryByRole("button")).not.toBeInTheDocument();
    expect(within(priya).getByText("In this conversation")).toBeInTheDocument();
    expect(within(list).getAllByRole("button", { name: /^Add/ })).toHaveLength(3);

    await user.click(within(list).getByRole("button", { name: /Add\s*Jordan Lee/ }));
    expect(await screen.findByText("Jordan Lee was added to the conversation.")).toBeInTheDocument();

    await user.type(screen.getByLabelText("Search teammates by name"), "organ");
    expect(await screen.findByRole("list", { name: "Teammates found" })).toHaveTextContent("Alex Morgan");
    expect(screen.getByRole("list", { name: "Teammates found" })).not.toHaveTextContent("Jordan Lee");
  });
});
