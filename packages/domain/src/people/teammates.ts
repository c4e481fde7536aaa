import { loadClinic } from "../clinic/loadClinic";
import { audited } from "../shared/audited";
import type { ChatDeps } from "../shared/deps";
import { loadActing } from "./loadPerson";
import type { Actor } from "./people";
import { staffView } from "./personViews";
import { canStartTeamChat } from "./reachability";
import type { SearchResult } from "./searchPeople";

/**
 * The staff member's active teammates of their own clinic, by name, each with whether a Team Chat
 * with them can start now (ELIG-3, ELIG-5): the team to browse when starting a chat or adding
 * someone, and to find by any part of a name rather than only by its beginning.
 */
export function teammates(deps: ChatDeps, actor: Actor): Promise<SearchResult[]> {
  return audited(deps, actor, "directory.search", async (stores) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    const clinic = await loadClinic(stores, actor.clinicId);
    const team = await stores.directory.activeStaff();
    return team
      .filter((person) => person.clinicId === clinic.id && person.active && person.id !== me.id)
      .map((person) => ({ person: staffView(person), startChat: canStartTeamChat(clinic, [me, person]) }));
  });
}
