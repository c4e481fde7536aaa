import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Thumbnail } from "../src/files/Thumbnail";
import { applyLiveEvent, type LiveContext } from "../src/live/applyLiveEvent";
import { renderWithClient } from "./support/renderWithClient";

// FILE-7 with FILE-3: every answer of `files.preview` is an audited link, so a preview still being
// made is not asked for on a timer; the live feed's `file.preview_ready` says when to ask, once.

const making = { state: "making" } as const;
const ready = {
  state: "ready",
  width: 1200,
  height: 900,
  links: {
    thumbnail: {
      url: "https://files.example/thumb?sig=1",
      method: "GET",
      headers: {},
      expiresAt: new Date(),
    },
  },
} as const;

function liveContext(queryClient: LiveContext["queryClient"]): LiveContext {
  return {
    queryClient,
    client: {} as LiveContext["client"],
    me: { kind: "patient", id: "p1" },
    keys: {
      conversationList: [],
      conversationOpen: [],
      clinic: [],
      portal: [],
      practitioners: [],
      inbox: [],
    },
    announce: () => {},
    nameOf: () => null,
  };
}

describe("thumbnails wait for the live feed", () => {
  it("FILE-7, FILE-3: a pending preview is asked for once, then once more on file.preview_ready, never on a timer", async () => {
    let answer: typeof making | typeof ready = making;
    const { calls, queryClient } = renderWithClient(
      <Thumbnail file={{ id: "file-1", name: "IMG_0042.HEIC" }} onOpen={() => {}} />,
      { handlers: { "files.preview": () => answer } },
    );
    const asked = () => calls.filter((call) => call.path === "files.preview").length;
    await screen.findByRole("button", { name: "Preparing a preview of IMG_0042.HEIC" });
    // Longer than any poll would wait: still the one ask (one audited link).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(asked()).toBe(1);

    answer = ready;
    await applyLiveEvent(liveContext(queryClient), {
      type: "file.preview_ready",
      conversationId: "conversation-1",
      at: new Date().toISOString(),
    });
    const image = await screen.findByTestId("thumbnail");
    expect(image).toHaveAttribute("src", ready.links.thumbnail.url);
    expect(asked()).toBe(2);

    // Another image of the conversation getting ready asks nothing again for this one.
    await applyLiveEvent(liveContext(queryClient), {
      type: "file.preview_ready",
      conversationId: "conversation-1",
      at: new Date().toISOString(),
    });
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Open image IMG_0042.HEIC" })).toBeEnabled(),
    );
    expect(asked()).toBe(2);
  }, 20_000);
});
