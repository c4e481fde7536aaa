import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../rpc/trpc";
import { formatOpening } from "./inboxWords";

/** The clinic's guidelines and, outside opening hours, when the message will be read (HOURS-2, HOURS-4). */
export function useAfterHoursNotice() {
  const trpc = useTRPC();
  // Opening and closing happen without an event: looked at again every minute.
  return useQuery({ ...trpc.inbox.afterHoursNotice.queryOptions(), refetchInterval: 60_000 });
}

/** The clinic's messaging guidelines at the top of a patient conversation (HOURS-4). */
export function Guidelines() {
  const notice = useAfterHoursNotice();
  const guidelines = notice.data?.guidelines;
  if (!guidelines) return null;
  return (
    <aside className="guidelines" aria-label="Messaging guidelines" data-testid="guidelines">
      {guidelines}
    </aside>
  );
}

/**
 * Before sending, outside opening hours, the patient sees when their message will be read, in
 * their own time zone, and the clinic's emergency instructions (HOURS-2).
 */
export function AfterHoursNotice() {
  const notice = useAfterHoursNotice();
  if (!notice.data || notice.data.open) return null;
  const { nextOpeningAt, guidelines } = notice.data;
  return (
    <div className="after-hours" role="note" data-testid="after-hours-notice">
      <p>
        <strong>The clinic is closed now.</strong>{" "}
        {nextOpeningAt
          ? `Your message will be read when it opens: ${formatOpening(nextOpeningAt)}.`
          : "Your message will be read when it opens again."}
      </p>
      {guidelines ? <p>{guidelines}</p> : null}
    </div>
  );
}
