import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { RequireSession } from "../src/auth/session";
import { NotificationSettings } from "../src/staff/settings/NotificationSettings";
import { renderWithClient } from "./support/renderWithClient";

function render(role: "admin" | "staff") {
  let delay = 120;
  const view = renderWithClient(
    <RequireSession audience="staff">
      <NotificationSettings />
    </RequireSession>,
    {
      route: true,
      handlers: {
        "auth.me": () => ({ person: { kind: "staff", id: "s-1" }, role, clinicId: "c-1", name: "Ada" }),
        "clinic.entitlements": () => ({
          settings: { smsNotificationsEnabled: false, notificationDelaySeconds: delay },
        }),
        "clinic.changeSettings": (input) => {
          delay = (input as { notificationDelaySeconds: number }).notificationDelaySeconds;
          return {};
        },
      },
    },
  );
  return view;
}

describe("Notification Settings: the delay before a chat notification (NOTIF-1)", () => {
  it("NOTIF-1: an admin picks from 30 seconds to 60 minutes, and the choice is saved", async () => {
    const { calls } = render("admin");
    const select = await screen.findByLabelText("Wait before notifying");
    const options = [...(select as HTMLSelectElement).options].map((option) => option.text);
    expect(options[0]).toBe("30 seconds");
    expect(options.at(-1)).toBe("60 minutes");
    expect(options).not.toContain("0 seconds");
    expect((select as HTMLSelectElement).value).toBe("120");
    await userEvent.selectOptions(select, "300");
    await waitFor(() =>
      expect(calls.filter((c) => c.path === "clinic.changeSettings").map((c) => c.input)).toEqual([
        { notificationDelaySeconds: 300 },
      ]),
    );
    await waitFor(() => expect((select as HTMLSelectElement).value).toBe("300"));
  });

  it("NOTIF-1: other staff see the delay but cannot change it", async () => {
    render("staff");
    const select = await screen.findByLabelText("Wait before notifying");
    expect(select).toBeDisabled();
  });
});
