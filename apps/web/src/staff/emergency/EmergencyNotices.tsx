import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText } from "../../ui/Feedback";
import "./emergency.css";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * REC-7: how admins are told in the app: beside "Audit trail" in the menu, how many times another
 * admin used emergency access in the last day (a count: asked often, it reads no names).
 */
export function EmergencyBadge() {
  const trpc = useTRPC();
  const notices = useQuery({ ...trpc.emergency.noticeCount.queryOptions(), refetchInterval: 60_000 });
  const count = notices.data?.count ?? 0;
  if (count <= 0) return null;
  return (
    <span className="badge">
      <span aria-hidden="true">{count > 99 ? "99+" : count}</span>
      <span className="visually-hidden">
        {count} emergency {count === 1 ? "access" : "accesses"} by another admin today
      </span>
    </span>
  );
}

/** REC-7: the clinic's emergency access of the last 30 days, at the top of the audit trail. */
export function EmergencyNotices() {
  const trpc = useTRPC();
  const recent = useQuery(trpc.emergency.recent.queryOptions());
  if (recent.isError) return <ErrorText>{errorMessage(recent.error)}</ErrorText>;
  const items = recent.data ?? [];
  if (items.length === 0) return null;
  return (
    <section className="notice emergency-notices" aria-labelledby="emergency-notices">
      <h2 id="emergency-notices">Emergency access in the last 30 days</h2>
      <ul>
        {items.map((n) => (
          <li key={n.id}>
            {n.mine ? "You" : n.adminName} opened {n.conversation} on{" "}
            <time dateTime={n.grantedAt}>{when.format(new Date(n.grantedAt))}</time>, until{" "}
            <time dateTime={n.expiresAt}>{when.format(new Date(n.expiresAt))}</time>. Reason: “{n.reason}”
            {n.mine && new Date(n.expiresAt) > new Date() ? (
              <>
                {" "}
                <Link to="/staff/emergency/$conversationId" params={{ conversationId: n.conversationId }}>
                  Read it
                </Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
