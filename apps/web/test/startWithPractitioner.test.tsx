import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { StartWithPractitioner } from "../src/portal/StartWithPractitioner";
import { refusal } from "./support/fakeApi";
import { renderWithClient } from "./support/renderWithClient";

const priya = { id: "0190a0a0-0000-7000-8000-0000000000a1", name: "Dr. Priya Shah" };

describe("starting a chat from the portal with a practitioner (ELIG-2)", () => {
  it("ELIG-2: tapping someone who just became unavailable says so in words and drops them from the offer", async () => {
    let offer = [priya];
    const { calls } = renderWithClient(<StartWithPractitioner />, {
      route: true,
      handlers: {
        "people.availablePractitioners": () => offer,
        "conversations.patientStart": () => {
          // Switched off between loading the offer and the tap.
          offer = [];
          throw refusal("We couldn't find that. It may have been deleted.", "NOT_FOUND", 404);
        },
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: /Start Chat\s*with Dr. Priya Shah/ }));
    expect(
      await screen.findByText(
        "Dr. Priya Shah isn't available for chat right now. Choose someone else, or try again later.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/couldn't find that/)).not.toBeInTheDocument();
    expect(await screen.findByText("No practitioner is available for chat right now.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Start Chat/ })).not.toBeInTheDocument();
    expect(calls.filter((c) => c.path === "people.availablePractitioners")).toHaveLength(2);
  });
});
