import { RequireSession } from "../../src/auth/session";
import { ConversationView } from "../../src/chat/ConversationView";
import type { ConversationDetails, HistoryPage, Me, MessageView, PersonView } from "../../src/rpc/types";
import type { Handlers } from "./fakeApi";
import { renderWithClient } from "./renderWithClient";

export const conversationId = "0190a0a0-0000-7000-8000-00000000c001";

export const practitioner: PersonView = {
  kind: "staff",
  id: "s-1",
  name: "Dr. Priya Shah",
  role: "practitioner",
  active: true,
  dateOfBirth: null,
};
export const patient: PersonView = {
  kind: "patient",
  id: "p-1",
  name: "Elena Garcia",
  role: null,
  active: true,
  dateOfBirth: "1984-05-02",
};

/** The signed-in practitioner, as `auth.me` answers. */
export const meAsPractitioner: Me = {
  person: { kind: "staff", id: practitioner.id },
  name: practitioner.name,
  role: "practitioner",
  clinic: { id: "clinic-1", name: "Maple Grove Family Practice", timeZone: "UTC" },
  idleTimeoutMinutes: 15,
  sessionExpiresAt: null,
  totpEnabled: true,
};

/** A text message; `minutes` after 2026-03-03 09:00 UTC unless `sentAt` says otherwise. */
export function textMessage(
  seq: number,
  sender: PersonView,
  text: string,
  sentAt = new Date(Date.UTC(2026, 2, 3, 9, seq)).toISOString(),
): MessageView {
  return {
    id: `m-${seq}`,
    conversationId,
    seq,
    clientId: `c-${seq}`,
    sender: { kind: sender.kind, id: sender.id },
    sentAt,
    body: { kind: "text", text },
  };
}

/** The open conversation between the practitioner and the patient. */
export function details(overrides: Partial<ConversationDetails> = {}): ConversationDetails {
  return {
    conversation: {
      id: conversationId,
      clinicId: "clinic-1",
      kind: "patient",
      patientId: patient.id,
      key: `patient:${patient.id}`,
      createdAt: "2026-03-03T08:00:00.000Z",
      lastActivityAt: "2026-03-03T09:00:00.000Z",
      lastSeq: 0,
    },
    participants: [practitioner, patient],
    readUpToSeq: 0,
    readMarkers: [],
    composer: { text: { allowed: true }, file: { allowed: true } },
    patientPortalAccount: "active",
    ...overrides,
  } as ConversationDetails;
}

/** Renders the staff conversation view over a fake API with this history (newest last). */
export function renderConversation(
  opened: ConversationDetails,
  messagesOldestFirst: readonly MessageView[],
  more: Handlers = {},
  /** Where older messages continue, when the history holds more than this page. */
  nextBeforeSeq: number | null = null,
) {
  const page: HistoryPage = { messages: messagesOldestFirst.toReversed(), nextBeforeSeq };
  return renderWithClient(
    <RequireSession audience="staff">
      <ConversationView conversationId={conversationId} audience="staff" backTo="/staff/chat" />
    </RequireSession>,
    {
      route: true,
      handlers: {
        "auth.me": () => meAsPractitioner,
        "conversations.open": () => opened,
        "conversations.history": () => page,
        "conversations.markRead": () => ({ readUpToSeq: messagesOldestFirst.at(-1)?.seq ?? 0 }),
        "people.search": () => [],
        ...more,
      },
    },
  );
}
