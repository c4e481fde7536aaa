import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { MessageItem } from "../src/chat/MessageItem";
import type { MessageView } from "../src/rpc/types";
import { renderWithClient } from "./support/renderWithClient";

const message: MessageView = {
  id: "m-1",
  conversationId: "c-1",
  seq: 7,
  clientId: "client-1",
  sender: { kind: "staff", id: "s-1" },
  sentAt: "2026-03-03T09:15:00.000Z",
  body: { kind: "text", text: "Your results are in." },
};

function renderMessage(props: Partial<Parameters<typeof MessageItem>[0]> = {}) {
  const onDelete = vi.fn();
  renderWithClient(
    <ol>
      <MessageItem
        message={message}
        senderName="Dr. Priya Shah"
        mine
        canDelete
        onDelete={onDelete}
        {...props}
      />
    </ol>,
  );
  return { onDelete, actions: () => screen.getByRole("button", { name: /Actions for your message/ }) };
}

describe("the ⋯ menu of a message (DEL-1, §8: Delete on hover and on keyboard focus)", () => {
  it("shows the ⋯ button while the pointer is over the message, and hides it again", async () => {
    const { actions } = renderMessage();
    const container = () => actions().closest(".message__actions");
    expect(container()).not.toHaveAttribute("data-visible");
    await userEvent.hover(screen.getByText("Your results are in."));
    expect(container()).toHaveAttribute("data-visible");
    await userEvent.unhover(screen.getByText("Your results are in."));
    expect(container()).not.toHaveAttribute("data-visible");
  });

  it("is reached with Tab, shows on keyboard focus, and opens on Enter with Delete focused", async () => {
    const { actions } = renderMessage();
    await userEvent.tab();
    expect(actions()).toHaveFocus();
    expect(actions().closest(".message__actions")).toHaveAttribute("data-visible");
    expect(actions()).toHaveAttribute("aria-expanded", "false");
    await userEvent.keyboard("{Enter}");
    expect(actions()).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByRole("menuitem", { name: "Delete" })).toHaveFocus();
  });

  it("closes on Escape and gives focus back to the ⋯ button", async () => {
    const { actions } = renderMessage();
    await userEvent.click(actions());
    expect(screen.getByRole("menu")).toBeInTheDocument();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(actions()).toHaveFocus();
  });

  it("DEL-2: Delete asks to confirm that it is permanent, then deletes that message", async () => {
    const { actions, onDelete } = renderMessage();
    await userEvent.click(actions());
    await userEvent.click(screen.getByRole("menuitem", { name: "Delete" }));
    const confirm = screen.getByRole("alertdialog", {
      name: "Delete this message for everyone? It can't be restored.",
    });
    expect(confirm).toBeInTheDocument();
    expect(onDelete).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Delete" }));
    expect(onDelete).toHaveBeenCalledWith("m-1");
  });

  it("Cancel keeps the message", async () => {
    const { actions, onDelete } = renderMessage();
    await userEvent.click(actions());
    await userEvent.click(screen.getByRole("menuitem", { name: "Delete" }));
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onDelete).not.toHaveBeenCalled();
    expect(actions()).toHaveFocus();
  });

  it("DEL-1: offers nothing on a message the reader may not delete", () => {
    renderMessage({ mine: false, canDelete: false });
    expect(screen.queryByRole("button", { name: /Actions for/ })).not.toBeInTheDocument();
    expect(screen.getByText("Dr. Priya Shah")).toBeInTheDocument();
  });

  it("names the sender for an admin deleting someone else's message", () => {
    renderMessage({ mine: false });
    expect(
      screen.getByRole("button", { name: /^Actions for message from Dr\. Priya Shah,/ }),
    ).toBeInTheDocument();
  });

  it("DEL-3: a deleted message reads 'Message deleted' in place, without its content or a menu", () => {
    renderMessage({
      message: {
        ...message,
        body: {
          kind: "deleted",
          deletedAt: "2026-03-03T09:20:00.000Z",
          deletedBy: { kind: "staff", id: "s-1" },
        },
      },
    });
    expect(screen.getByText("Message deleted")).toBeInTheDocument();
    expect(screen.queryByText("Your results are in.")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Actions for/ })).not.toBeInTheDocument();
  });

  it("REC-4: under a legal hold Delete stays in the menu, focused but disabled, saying why; choosing it deletes nothing", async () => {
    const why = "Unavailable: the clinic keeps these records under a legal hold.";
    const { actions, onDelete } = renderMessage({ deleteUnavailable: why });
    await userEvent.click(actions());
    const item = screen.getByRole("menuitem", { name: /^Delete/ });
    expect(item).toHaveFocus();
    expect(item).toHaveAttribute("aria-disabled", "true");
    expect(item).toHaveTextContent(why);
    await userEvent.keyboard("{Enter}");
    await userEvent.click(item);
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(onDelete).not.toHaveBeenCalled();
  });
});
