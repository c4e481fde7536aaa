import { screen } from "@testing-library/react";
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
});
