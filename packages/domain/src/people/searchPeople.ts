import { loadClinic } from "../clinic/loadClinic";
import { audited } from "../shared/audited";
import type { Decision } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadActing } from "./loadPerson";
import type { Actor } from "./people";
import { type PersonView, patientView, staffView } from "./personViews";
import { canStartPatientChat, canStartTeamChat } from "./reachability";

/** Largest page of search results. */
export const maxSearchResults = 50;

/** One search result: the person, and whether a chat can be started with them now (with the reason if not). */
export interface SearchResult {
  readonly person: PersonView;
  readonly startChat: Decision;
}

/**
 * Staff search patients or teammates of their own clinic by name, prefix- and typo-tolerant
 * (START-2, ELIG-5). Patients who cannot be messaged are still listed, marked unavailable with
 * the reason (ELIG-1). The query itself is never written to the audit trail: it may be a name.
 */
export function searchPeople(
  deps: ChatDeps,
  actor: Actor,
  input: { kind: "patient" | "staff"; query: string; limit: number },
): Promise<SearchResult[]> {
  return audited(deps, actor, "directory.search", async (stores) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    const query = input.query.trim();
    if (query.length === 0 || query.length > 100)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "query" });
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > maxSearchResults) {
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit", max: maxSearchResults });
    }
    const clinic = await loadClinic(stores, actor.clinicId);
    if (input.kind === "patient") {
      const matches = await stores.directory.searchPatients(query, input.limit);
      return matches.map(({ person }) => ({
        person: patientView(person),
        startChat: canStartPatientChat(clinic, me, person),
      }));
    }
    const matches = await stores.directory.searchStaff(query, input.limit + 1);
    return matches
      .filter(({ person }) => person.id !== me.id)
      .slice(0, input.limit)
      .map(({ person }) => ({
        person: staffView(person),
        startChat: canStartTeamChat(clinic, [me, person]),
      }));
  });
}
