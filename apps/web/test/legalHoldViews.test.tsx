import { useQuery } from "@tanstack/react-query";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { RequireSession } from "../src/auth/session";
import { useTRPC } from "../src/rpc/trpc";
import { LegalHoldCard } from "../src/staff/patients/LegalHoldCard";
import { PatientListPage } from "../src/staff/patients/PatientListPage";
import { meAsPractitioner } from "./support/conversationFixtures";
import { renderWithClient } from "./support/renderWithClient";

const allow = { allowed: true } as const;

function listItem(id: string, name: string, legalHold: boolean) {
  return {
    person: { kind: "patient", id, name, dateOfBirth: "1984-03-12" },
    portalAccount: "active",
    startChat: allow,
    legalHold,
  };
}

/** What a conversation's ⋯ Delete reads: whether a hold stands (as ConversationView reads it). */
function ConversationHoldProbe({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const details = useQuery(trpc.conversations.open.queryOptions({ conversationId }));
  if (!details.data) return null;
  return <p>{details.data.legalHold ? "Delete unavailable: on hold" : "Delete available"}</p>;
}

describe("REC-4: who is on hold, where staff look", () => {
  it("REC-4: the Patients list shows On hold beside a patient under a legal hold, and only there", async () => {
    renderWithClient(
      <RequireSession audience="staff">
        <PatientListPage />
      </RequireSession>,
      {
        route: true,
        handlers: {
          "auth.me": () => meAsPractitioner,
          "patients.list": () => ({
            items: [listItem("p-1", "Elena Park", true), listItem("p-2", "Omar Haddad", false)],
            nextCursor: null,
          }),
        },
      },
    );
    const held = (await screen.findByRole("rowheader", { name: /Elena Park/ })).closest("tr")!;
    expect(within(held).getByText("On hold")).toBeInTheDocument();
    const other = screen.getByRole("rowheader", { name: /Omar Haddad/ }).closest("tr")!;
    expect(within(other).queryByText("On hold")).not.toBeInTheDocument();
  });

  it("REC-4: placing a hold updates the Patients list and the open conversation's ⋯ Delete in the same tab, without a reload", async () => {
    let held = false;
    const placedAt = new Date(Date.UTC(2026, 11, 6, 15, 45)).toISOString();
    const hold = () =>
      held
        ? {
            patientId: "p-1",
            reason: "Records requested by counsel",
            placedBy: { id: meAsPractitioner.person.id, name: "Dana Admin" },
            placedAt,
          }
        : null;
    const { calls } = renderWithClient(
      <RequireSession audience="staff">
        <PatientListPage />
        <ConversationHoldProbe conversationId="conv-1" />
        <LegalHoldCard patientId="p-1" />
      </RequireSession>,
      {
        route: true,
        handlers: {
          "auth.me": () => ({ ...meAsPractitioner, role: "admin" }),
          "patients.list": () => ({ items: [listItem("p-1", "Elena Park", held)], nextCursor: null }),
          "conversations.open": () => ({ legalHold: held }),
          "records.hold": hold,
          "records.placeHold": () => {
            held = true;
            return hold();
          },
        },
      },
    );
    await screen.findByText("Delete available");
    const row = (await screen.findByRole("rowheader", { name: /Elena Park/ })).closest("tr")!;
    expect(within(row).queryByText("On hold")).not.toBeInTheDocument();

    await userEvent.click(await screen.findByRole("button", { name: "Place a legal hold" }));
    await userEvent.type(screen.getByRole("textbox", { name: "Reason" }), "Records requested by counsel");
    await userEvent.click(screen.getByRole("button", { name: "Place the hold" }));

    expect(await screen.findByText("Delete unavailable: on hold")).toBeInTheDocument();
    expect(await within(row).findByText("On hold")).toBeInTheDocument();
    // Read again after the hold, not before it only.
    const placed = calls.findIndex((c) => c.path === "records.placeHold");
    expect(calls.slice(placed).map((c) => c.path)).toEqual(
      expect.arrayContaining(["patients.list", "conversations.open", "records.hold"]),
    );
  });
});
