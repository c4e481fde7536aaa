import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPCClient } from "../../rpc/trpc";
import type { Outputs } from "../../rpc/types";
import { ErrorText, Loading, StatusText } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { timeZoneName } from "../appointments/formatAppointment";
import { EmergencyNotices } from "../emergency/EmergencyNotices";
import { type AuditFilterState, AuditFilters } from "./AuditFilters";
import { clinicToday, type QuickRange, rangeOf } from "./auditRange";
import "./audit.css";

type Entry = Outputs["audit"]["list"]["items"][number];

const outcomeNames: Readonly<Record<Entry["outcome"], string>> = {
  success: "Done",
  denied: "Refused",
  failure: "Failed",
};

/** The filters as the procedures take them. */
function inputOf(filters: AuditFilterState) {
  return {
    action: filters.action || null,
    patientId: filters.patientId,
    actorKey: filters.actorKey,
    fromDay: filters.fromDay,
    toDay: filters.toDay,
  };
}

/** Hands the browser a CSV file to save. */
function saveCsv(csv: string, name: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The admin's audit trail (SEC-3, REC-6): every access to patient information, newest first, told
 * in sentences with people, patients, conversations and files by name; filtered by person,
 * patient, action and days of the clinic's calendar; exported as CSV.
 */
export function AuditTrailPage({
  patientId = null,
  actorKey = null,
}: {
  patientId?: string | null;
  actorKey?: string | null;
}) {
  usePageTitle("Audit trail");
  const client = useTRPCClient();
  const { timeZone } = useSession().clinic;
  const [filters, setFilters] = useState<AuditFilterState>({
    action: "",
    patientId,
    actorKey,
    quick: "all",
    fromDay: null,
    toDay: null,
  });
  const change = (next: Partial<AuditFilterState>) => setFilters((current) => ({ ...current, ...next }));
  const quick = (key: QuickRange) => change({ quick: key, ...rangeOf(key, timeZone) });
  // By hand: tRPC's infinite options add a `direction` field the strict input refuses.
  const trail = useInfiniteQuery({
    queryKey: ["staff", "audit", inputOf(filters)],
    queryFn: ({ pageParam }) =>
      client.audit.list.query({ limit: 50, ...inputOf(filters), cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const exported = useMutation({
    mutationFn: () => client.audit.export.mutate(inputOf(filters)),
    onSuccess: (result) => saveCsv(result.csv, `audit-trail-${clinicToday(timeZone)}.csv`),
  });
  const first = trail.data?.pages[0];
  const items = trail.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="page audit">
      <h1 tabIndex={-1}>Audit trail</h1>
      <p className="page__lede">
        Every access to patient information in your clinic. Records can't be changed or removed. Times are in
        the clinic's time zone: {timeZoneName(timeZone)}.
      </p>
      <EmergencyNotices />
      <AuditFilters
        filters={filters}
        names={first?.filterNames ?? { actor: null, patient: null }}
        onChange={change}
        onQuick={quick}
      />
      <div className="audit__export">
        <button
          type="button"
          className="button button--small"
          onClick={() => exported.mutate()}
          disabled={exported.isPending}
        >
          Export as CSV
        </button>
        {exported.isSuccess ? (
          <StatusText>
            Exported {exported.data.records} {exported.data.records === 1 ? "record" : "records"}.
          </StatusText>
        ) : null}
        <ErrorText>{exported.isError ? errorMessage(exported.error) : null}</ErrorText>
      </div>
      {trail.isPending ? <Loading /> : null}
      {trail.isError ? <ErrorText>{errorMessage(trail.error)}</ErrorText> : null}
      {trail.data ? (
        <ol className="audit__list" aria-label="Audit records, newest first">
          {items.map((entry) => (
            <AuditRow key={entry.id} entry={entry} filters={filters} onFilter={change} />
          ))}
        </ol>
      ) : null}
      {trail.data && items.length === 0 ? <p>No records match these filters.</p> : null}
      {trail.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void trail.fetchNextPage()}
          disabled={trail.isFetchingNextPage}
        >
          Show older records
        </button>
      ) : null}
    </div>
  );
}

/** One record: its sentence, when, how it ended, from where, and filters to narrow the trail by it. */
function AuditRow({
  entry,
  filters,
  onFilter,
}: {
  entry: Entry;
  filters: AuditFilterState;
  onFilter: (change: Partial<AuditFilterState>) => void;
}) {
  const actorKey = entry.actor ? `${entry.actor.kind}:${entry.actor.id}` : null;
  return (
    <li className="audit__entry">
      <p className="audit__sentence">{entry.sentence}</p>
      <p className="audit__meta">
        <time dateTime={entry.at}>{entry.localTime}</time>
        <span className={`pill pill--${entry.outcome}`}>{outcomeNames[entry.outcome]}</span>
        {entry.reason && entry.outcome !== "success" ? <span className="hint">{entry.reason}</span> : null}
        {entry.ip ? <span className="hint mono">{entry.ip}</span> : null}
      </p>
      <p className="audit__actions">
        {actorKey && actorKey !== filters.actorKey ? (
          <button type="button" className="link-button" onClick={() => onFilter({ actorKey })}>
            Only {entry.actorName}
          </button>
        ) : null}
        {entry.patient && entry.patient.id !== filters.patientId ? (
          <button
            type="button"
            className="link-button"
            onClick={() => onFilter({ patientId: entry.patient?.id ?? null })}
          >
            Only {entry.patient.name}
          </button>
        ) : null}
        {entry.conversationId ? (
          <Link to="/staff/emergency/$conversationId" params={{ conversationId: entry.conversationId }}>
            Open the conversation
          </Link>
        ) : null}
      </p>
    </li>
  );
}
