import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { RequireSession } from "../src/auth/session";
import { AccountPage } from "../src/staff/account/AccountPage";
import { meAsPractitioner } from "./support/conversationFixtures";
import { renderWithClient } from "./support/renderWithClient";

function renderAccount(role: "admin" | "practitioner" | "staff") {
  return renderWithClient(
    <RequireSession audience="staff">
      <AccountPage />
    </RequireSession>,
    {
      route: true,
      handlers: {
        "auth.me": () => ({ ...meAsPractitioner, role }),
        "account.settings": () => ({
          role,
          availableForPatientChat: true,
          emailNotifications: true,
        }),
      },
    },
  );
}

describe("My Account › Scheduling Preferences (ELIG-2)", () => {
  it("ELIG-2: a practitioner has the Available for Chat with Patients toggle", async () => {
    renderAccount("practitioner");
    expect(await screen.findByRole("switch", { name: "Available for Chat with Patients" })).toBeEnabled();
    expect(screen.getByRole("heading", { name: "Scheduling Preferences" })).toBeInTheDocument();
  });

  it.each(["staff", "admin"] as const)(
    "ELIG-2: %s members, whom patients are never offered, see no availability toggle",
    async (role) => {
      renderAccount(role);
      await screen.findByRole("switch", { name: "Email me about new messages from patients" });
      expect(
        screen.queryByRole("switch", { name: "Available for Chat with Patients" }),
      ).not.toBeInTheDocument();
      expect(screen.queryByRole("heading", { name: "Scheduling Preferences" })).not.toBeInTheDocument();
    },
  );
});
