import { screen } from "@testing-library/react";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { ConnectionBanner } from "../src/live/ConnectionBanner";
import { useLiveEvents } from "../src/live/useLiveEvents";
import { renderWithClient } from "./support/renderWithClient";

/** The API's refusal of one stream too many for a session, as the SSE endpoint sends it. */
const tooManyStreams = () =>
  TRPCClientError.from({
    error: {
      message:
        "This account has too many live windows open (at most 10). Close some tabs or windows of Clinic Chat, then reload this one.",
      code: -32029,
      data: {
        code: "TOO_MANY_REQUESTS",
        httpStatus: 429,
        domainCode: "TOO_MANY_STREAMS",
        details: { limit: 10 },
      },
    },
  });

function LiveBanner({ onSignedOut }: { onSignedOut: () => void }) {
  const status = useLiveEvents({ kind: "staff", id: "s-1" }, onSignedOut);
  return <ConnectionBanner status={status} />;
}

describe("a tab past the session's limit of live streams", () => {
  it("OPS-1: says there are too many open windows, instead of failing silently or claiming to be offline", async () => {
    const signedOut: string[] = [];
    const { calls } = renderWithClient(<LiveBanner onSignedOut={() => signedOut.push("out")} />, {
      handlers: {
        "live.events": () => {
          throw tooManyStreams();
        },
      },
    });
    const banner = await screen.findByText(/Too many open windows\./);
    expect(banner.closest("[role=status]")).not.toBeNull();
    expect(screen.getByRole("status")).toHaveTextContent(
      "Too many open windows. Close another tab or window of Clinic Chat to keep getting messages live here; what you send still goes out.",
    );
    expect(screen.queryByText(/You're offline/)).toBeNull();
    expect(signedOut).toEqual([]);
    expect(calls.map((call) => call.path)).toEqual(["live.events"]);
  });
});
