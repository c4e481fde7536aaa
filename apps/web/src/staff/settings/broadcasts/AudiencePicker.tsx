import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "../../../rpc/trpc";
import type { SearchResult } from "../../../rpc/types";
import { BirthDate } from "../../../ui/BirthDate";
import type { Audience } from "./useBroadcasts";

type Kind = Audience["kind"];

const kindWords: Record<Kind, string> = {
  activePortal: "All patients with an active Patient Portal account",
  practitioner: "A practitioner's patients",
  appointments: "Patients with appointments in a date range",
  selection: "Patients I pick",
};

/** The audience being built, or null while it is incomplete. */
export type AudienceDraft = Audience | null;

/** Recipients by filter or by selection (BCAST-1); calls back with the audience once complete. */
export function AudiencePicker({ onChange }: { onChange: (audience: AudienceDraft) => void }) {
  const id = useId();
  const trpc = useTRPC();
  const [kind, setKind] = useState<Kind>("activePortal");
  const [practitionerId, setPractitionerId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [picked, setPicked] = useState<SearchResult["person"][]>([]);
  const [query, setQuery] = useState("");
  const team = useQuery({ ...trpc.team.list.queryOptions(), enabled: kind === "practitioner" });
  const search = useMutation(trpc.people.search.mutationOptions());

  const report = (next: {
    kind?: Kind;
    practitionerId?: string;
    from?: string;
    to?: string;
    picked?: SearchResult["person"][];
  }) => {
    const k = next.kind ?? kind;
    const p = next.practitionerId ?? practitionerId;
    const f = next.from ?? from;
    const t = next.to ?? to;
    const chosen = next.picked ?? picked;
    if (k === "activePortal") onChange({ kind: k });
    else if (k === "practitioner") onChange(p ? { kind: k, practitionerId: p } : null);
    else if (k === "appointments")
      // Days of the clinic's calendar: the server reads them in the clinic's time zone.
      onChange(f && t && f <= t ? { kind: k, from: f, to: t } : null);
    else onChange(chosen.length > 0 ? { kind: k, patientIds: chosen.map((c) => c.id) } : null);
  };

  return (
    <fieldset className="field">
      <legend>Recipients</legend>
      {(Object.keys(kindWords) as Kind[]).map((k) => (
        <label key={k} className="choice">
          <input
            type="radio"
            name={`${id}-kind`}
            value={k}
            checked={kind === k}
            onChange={() => {
              setKind(k);
              report({ kind: k });
            }}
          />{" "}
          {kindWords[k]}
        </label>
      ))}
      {kind === "practitioner" ? (
        <div className="field">
          <label htmlFor={`${id}-practitioner`}>Practitioner</label>
          <select
            id={`${id}-practitioner`}
            value={practitionerId}
            onChange={(e) => {
              setPractitionerId(e.target.value);
              report({ practitionerId: e.target.value });
            }}
          >
            <option value="">Choose a practitioner</option>
            {(team.data?.members ?? [])
              .filter((m) => m.role === "practitioner")
              .map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
          </select>
        </div>
      ) : null}
      {kind === "appointments" ? (
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input
              id={`${id}-from`}
              type="date"
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
                report({ from: e.target.value });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To (inclusive)</label>
            <input
              id={`${id}-to`}
              type="date"
              value={to}
              onChange={(e) => {
                setTo(e.target.value);
                report({ to: e.target.value });
              }}
            />
          </div>
        </div>
      ) : null}
      {kind === "selection" ? (
        <div className="field">
          <label htmlFor={`${id}-search`}>Find a patient by name</label>
          <input
            id={`${id}-search`}
            type="search"
            autoComplete="off"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              if (e.target.value.trim().length >= 2)
                search.mutate({ kind: "patient", query: e.target.value.trim(), limit: 10 });
            }}
          />
          <ul className="pick-list" aria-label="Search results">
            {(query.trim().length >= 2 ? (search.data ?? []) : []).map((r) => {
              const chosen = picked.some((p) => p.id === r.person.id);
              return (
                <li key={r.person.id}>
                  <label className="choice">
                    <input
                      type="checkbox"
                      checked={chosen}
                      onChange={() => {
                        const next = chosen
                          ? picked.filter((p) => p.id !== r.person.id)
                          : [...picked, r.person];
                        setPicked(next);
                        report({ picked: next });
                      }}
                    />{" "}
                    {r.person.name} <BirthDate dateOfBirth={r.person.dateOfBirth} />
                  </label>
                </li>
              );
            })}
          </ul>
          <p className="hint" role="status">
            {picked.length === 1 ? "1 patient picked" : `${picked.length} patients picked`}
          </p>
        </div>
      ) : null}
    </fieldset>
  );
}
