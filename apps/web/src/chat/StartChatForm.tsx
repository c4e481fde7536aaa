import { useMutation, useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { BirthDate } from "../ui/BirthDate";
import { ErrorText } from "../ui/Feedback";
import { reasonSentence } from "./composerReasons";
import { unavailableReason } from "./unavailableReason";
import { usePeopleSearch } from "./usePeopleSearch";
import { useTeammates } from "./useTeammates";

/**
 * Chat page › + › Patient or Teammate › search by name › Start Chat (entry point 1). Patients who
 * cannot receive anything are listed but marked unavailable with the reason (ELIG-1); an existing
 * chat opens instead of a duplicate (START-1). Teammates can be browsed with nothing typed and are
 * found by any part of their name; those already picked stay above the search as chips.
 */
export function StartChatForm({ onDone }: { onDone: () => void }) {
  const id = useId();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [kind, setKind] = useState<"patient" | "staff">("patient");
  const [chosen, setChosen] = useState<readonly { id: string; name: string }[]>([]);
  const clinic = useQuery(trpc.clinic.entitlements.queryOptions());
  const search = usePeopleSearch("patient", kind === "patient");
  const team = useTeammates(search.query, kind === "staff");
  const results = kind === "patient" ? search.results : team.results;
  const open = async ({ conversation }: { conversation: { id: string } }) => {
    onDone();
    await navigate({ to: "/staff/chat/$conversationId", params: { conversationId: conversation.id } });
  };
  const startPatient = useMutation(trpc.conversations.startWithPatient.mutationOptions({ onSuccess: open }));
  const startTeam = useMutation(trpc.conversations.startTeam.mutationOptions({ onSuccess: open }));
  const teamChat = clinic.data?.entitlements.teamChat;
  const teamReason = teamChat && !teamChat.allowed ? reasonSentence(teamChat, "team", "staff") : null;
  const starting = startPatient.isPending || startTeam.isPending;
  const failure = startPatient.error ?? startTeam.error;

  const choose = (person: { id: string; name: string }, on: boolean) =>
    setChosen((list) =>
      kind === "patient"
        ? [person]
        : on
          ? [...list.filter((x) => x.id !== person.id), person]
          : list.filter((x) => x.id !== person.id),
    );
  const isChosen = (personId: string) => chosen.some((x) => x.id === personId);

  return (
    <form
      className="form start-chat"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen.length === 0) return;
        if (kind === "patient") startPatient.mutate({ patientId: chosen[0]!.id });
        else startTeam.mutate({ staffIds: chosen.map((x) => x.id) });
      }}
    >
      <fieldset className="segmented">
        <legend>Start a chat with</legend>
        {(["patient", "staff"] as const).map((k) => (
          <label key={k} className="segmented__option">
            <input
              type="radio"
              name={`${id}-kind`}
              value={k}
              checked={kind === k}
              disabled={k === "staff" && Boolean(teamReason)}
              aria-describedby={k === "staff" && teamReason ? `${id}-team-why` : undefined}
              onChange={() => {
                setKind(k);
                setChosen([]);
                search.setQuery("");
              }}
            />
            <span>{k === "patient" ? "Patient" : "Teammate"}</span>
          </label>
        ))}
      </fieldset>
      {teamReason ? (
        <p className="hint" id={`${id}-team-why`}>
          {teamReason}
        </p>
      ) : null}

      {kind === "staff" && chosen.length > 0 ? (
        <ul className="chips" aria-label="Chosen teammates">
          {chosen.map((person) => (
            <li key={person.id} className="chip">
              <span>{person.name}</span>
              <button
                type="button"
                className="chip__remove"
                aria-label={`Remove ${person.name}`}
                onClick={() => choose(person, false)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      <div className="field">
        <label htmlFor={`${id}-query`}>
          {kind === "patient" ? "Search patients by name" : "Search teammates by name"}
        </label>
        <input
          id={`${id}-query`}
          type="search"
          autoComplete="off"
          value={search.query}
          maxLength={100}
          onChange={(event) => search.setQuery(event.currentTarget.value)}
        />
      </div>

      <div
        className="search-results"
        aria-live="polite"
        aria-busy={(kind === "patient" ? search.searching : team.loading) || undefined}
      >
        {results && results.length === 0 ? (
          <p className="hint">
            {kind === "staff" && !search.query.trim() ? "No teammates yet." : "Nobody found with that name."}
          </p>
        ) : null}
        {results && results.length > 0 ? (
          <fieldset>
            <legend className="visually-hidden">
              {kind === "patient" ? "Patients found" : "Teammates found"}
            </legend>
            <ul className="person-list">
              {results.map(({ person, startChat }) => {
                const why = unavailableReason(startChat);
                return (
                  <li
                    key={person.id}
                    className={`person-list__item${why ? " person-list__item--unavailable" : ""}`}
                  >
                    <label className="choice">
                      <input
                        type={kind === "patient" ? "radio" : "checkbox"}
                        name={`${id}-person`}
                        value={person.id}
                        disabled={Boolean(why)}
                        checked={isChosen(person.id)}
                        aria-describedby={why ? `${id}-why-${person.id}` : undefined}
                        onChange={(event) => choose(person, event.currentTarget.checked)}
                      />
                      <span className="person-list__name">{person.name}</span>
                      <BirthDate dateOfBirth={person.dateOfBirth} />
                    </label>
                    {why ? (
                      <span className="hint hint--why" id={`${id}-why-${person.id}`}>
                        {why}
                      </span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </fieldset>
        ) : null}
      </div>
      <ErrorText>
        {kind === "patient" && search.error
          ? errorMessage(search.error)
          : kind === "staff" && team.error
            ? errorMessage(team.error)
            : failure
              ? errorMessage(failure)
              : null}
      </ErrorText>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={chosen.length === 0 || starting}>
          {starting ? "Starting…" : "Start Chat"}
        </button>
      </div>
    </form>
  );
}
