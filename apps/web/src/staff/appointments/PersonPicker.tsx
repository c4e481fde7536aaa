import { useId } from "react";
import { usePeopleSearch } from "../../chat/usePeopleSearch";
import { errorMessage } from "../../rpc/errors";
import type { PersonView } from "../../rpc/types";
import { ErrorText } from "../../ui/Feedback";

/**
 * Picks one patient or practitioner by name (START-2's search): a search box, then the matches as
 * radio buttons. Only practitioners are offered when picking staff, since only they see patients.
 */
export function PersonPicker({
  kind,
  label,
  chosen,
  onChoose,
  error,
}: {
  kind: "patient" | "staff";
  label: string;
  chosen: PersonView | null;
  onChoose: (person: PersonView | null) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const search = usePeopleSearch(kind);
  const matches = (search.results ?? [])
    .map((r) => r.person)
    .filter((p) => kind === "patient" || (p.role === "practitioner" && p.active));
  if (chosen)
    return (
      <fieldset className="field">
        <legend>{label}</legend>
        <p className="person-picker__chosen">
          <strong>{chosen.name}</strong>{" "}
          <button type="button" className="button button--small" onClick={() => onChoose(null)}>
            Change {label.toLowerCase()}
          </button>
        </p>
      </fieldset>
    );
  return (
    <div className="field person-picker">
      <label htmlFor={`${id}-search`}>{label}</label>
      <input
        id={`${id}-search`}
        type="search"
        autoComplete="off"
        placeholder="Type a name"
        aria-describedby={`${id}-hint`}
        aria-invalid={error ? true : undefined}
        value={search.query}
        onChange={(e) => search.setQuery(e.target.value)}
      />
      <span className="hint" id={`${id}-hint`}>
        Type part of the name, then choose from the list.
      </span>
      {search.results !== null ? (
        <fieldset className="person-picker__results">
          <legend className="visually-hidden">
            Matching {kind === "patient" ? "patients" : "practitioners"}
          </legend>
          {matches.length === 0 ? <p className="hint">Nobody matches.</p> : null}
          {matches.map((person) => (
            <label key={person.id} className="choice">
              <input type="radio" name={`${id}-choice`} value={person.id} onChange={() => onChoose(person)} />
              {person.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <ErrorText>{search.error ? errorMessage(search.error) : error}</ErrorText>
    </div>
  );
}
