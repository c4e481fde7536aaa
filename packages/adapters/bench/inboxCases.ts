import type { Stores } from "@clinic-chat/domain";
import { type InboxView, inboxViews } from "@clinic-chat/domain/inbox";
import { busyStaff } from "./seed";

/** The inbox's page size in the web app (apps/web/src/inbox/InboxPanel.tsx). */
const pageSize = 50;

/**
 * INBOX-1: the first page of each inbox view for the busy staff member (about 2,100 patient
 * conversations of theirs in a clinic of 20,000), with every view's live count, as the inbox's
 * list reads them: the page, then the counts, in one unit of work.
 */
export const inboxCases = inboxViews.map((view: InboxView) => ({
  name: `inbox: ${view} (first ${pageSize}, counts)`,
  p99Target: 10,
  inputs: [
    {
      label: "busy staff member",
      run: async (s: Stores) => {
        await s.inbox.list(busyStaff, { view, limit: pageSize });
        return s.inbox.counts(busyStaff);
      },
    },
  ],
}));
