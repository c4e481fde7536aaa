import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { Composer, type ComposerProps } from "../src/chat/Composer";
import type { Decision } from "../src/chat/composerReasons";
import { renderWithClient } from "./support/renderWithClient";

const yes: Decision = { allowed: true };
const no = (reason: string, details?: Record<string, unknown>): Decision => ({
  allowed: false,
  reason,
  details,
});

function renderComposer(props: Partial<ComposerProps> & Pick<ComposerProps, "rules">) {
  const onSendText = vi.fn();
  const onPickFile = vi.fn();
  renderWithClient(
    <Composer kind="patient" audience="staff" onSendText={onSendText} onPickFile={onPickFile} {...props} />,
  );
  return { onSendText, onPickFile };
}

describe("Composer: what it offers and why it is disabled (ENT-1, ENT-3, ELIG-1)", () => {
  it("offers text and files with no notice when both are allowed; Enter sends the trimmed text", async () => {
    const { onSendText } = renderComposer({ rules: { text: yes, file: yes } });
    expect(screen.getByRole("button", { name: "Attach a file" })).toBeEnabled();
    const box = screen.getByRole("textbox", { name: "Message" });
    expect(box).not.toHaveAccessibleDescription();
    await userEvent.type(box, "  See you at 9  {Enter}");
    expect(onSendText).toHaveBeenCalledWith("See you at 9");
    expect(box).toHaveValue("");
  });

  it("keeps Shift+Enter as a new line and does not send an empty message", async () => {
    const { onSendText } = renderComposer({ rules: { text: yes, file: yes } });
    const box = screen.getByRole("textbox", { name: "Message" });
    await userEvent.type(box, "   {Enter}");
    await userEvent.type(box, "line one{Shift>}{Enter}{/Shift}line two");
    expect(onSendText).not.toHaveBeenCalled();
    expect(box).toHaveValue("   line one\nline two");
    expect(screen.getByRole("button", { name: "Send" })).toBeEnabled();
  });

  it("ENT-1: a Starter clinic's composer offers files only and says text needs the Enhanced plan", () => {
    renderComposer({ rules: { text: no("PLAN_REQUIRED", { plan: "enhanced" }), file: yes } });
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
    const attach = screen.getByRole("button", { name: /Attach a file/ });
    expect(attach).toBeEnabled();
    expect(attach).toHaveAccessibleDescription(
      "Messages with patients are not included in your clinic's plan. Upgrade to Enhanced to use them. You can share files.",
    );
  });

  it("ELIG-1: nothing can be sent to a patient without an active portal account, and it says why once", () => {
    const inactive = no("PATIENT_PORTAL_INACTIVE", { portalAccount: "invited" });
    renderComposer({ rules: { text: inactive, file: inactive } });
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Attach/ })).not.toBeInTheDocument();
    expect(screen.getByTestId("composer")).toHaveTextContent(
      "Sending is not available. This patient has no active Patient Portal account, so they can't receive messages or files. Invite them to the portal first.",
    );
  });

  it("ENT-3: with patient chat switched off the history stays readable and the composer names the setting", () => {
    const off = no("PATIENT_CHAT_OFF");
    renderComposer({ rules: { text: off, file: off } });
    expect(screen.getByTestId("composer")).toHaveTextContent(
      "Chat with patients is turned off for this clinic. A clinic admin can turn it on in Clinic Settings › Patient Portal.",
    );
  });

  it("ENT-2: a Team Chat after a downgrade explains the plan it needs", () => {
    const plan = no("PLAN_REQUIRED", { plan: "premium" });
    renderComposer({ kind: "team", rules: { text: plan, file: plan } });
    expect(screen.getByTestId("composer")).toHaveTextContent(
      "Team Chat is not included in your clinic's plan. Upgrade to Premium to use it.",
    );
  });

  it("a setting turned off says who can turn it back on", () => {
    renderComposer({ rules: { text: yes, file: no("SETTING_OFF", { capability: "patientFileSharing" }) } });
    expect(screen.getByRole("textbox", { name: "Message" })).toHaveAccessibleDescription(
      "File sharing with patients is turned off in Clinic Settings › Patient Portal. A clinic admin can turn it on.",
    );
    expect(screen.queryByRole("button", { name: /Attach/ })).not.toBeInTheDocument();
  });

  it("patients are told what the clinic offers, not about its plan", () => {
    renderComposer({
      audience: "patient",
      rules: { text: no("PLAN_REQUIRED", { plan: "enhanced" }), file: yes },
    });
    expect(screen.getByRole("button", { name: /Attach a file/ })).toHaveAccessibleDescription(
      "Messages aren't available with this clinic in the Patient Portal. You can share files.",
    );
  });

  it("MSG-1: more than 4,000 characters cannot be sent, and the count says by how much", async () => {
    const { onSendText } = renderComposer({ rules: { text: yes, file: yes } });
    const box = screen.getByRole("textbox", { name: "Message" });
    await userEvent.click(box);
    await userEvent.paste("a".repeat(4001));
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();
    expect(box).toHaveAccessibleDescription("Messages can be up to 4,000 characters. This one has 4,001.");
    await userEvent.keyboard("{Enter}");
    expect(onSendText).not.toHaveBeenCalled();
  });
});
