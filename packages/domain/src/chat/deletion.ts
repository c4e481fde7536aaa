import { canAct, type Person } from "../people/Person";
import { samePerson } from "../people/people";
import { refOf } from "../people/reachability";
import { allow, type Decision, deny } from "../shared/Decision";
import type { Message } from "./Message";

/**
 * DEL-1: a message or file can be deleted by its sender (staff or patient), and by a clinic admin
 * for any message of their clinic. A message already deleted cannot be deleted again.
 */
export function canDeleteMessage(message: Message, deleter: Person): Decision {
  const acting = canAct(deleter);
  if (!acting.allowed) return acting;
  const deleterClinic = deleter.kind === "staff" ? deleter.staff.clinicId : deleter.patient.clinicId;
  if (deleterClinic !== message.clinicId) return deny("NOT_FOUND");
  if (message.body.kind === "deleted") return deny("ALREADY_DELETED");
  if (samePerson(message.sender, refOf(deleter))) return allow;
  if (
    deleter.kind === "staff" &&
    deleter.staff.role === "admin" &&
    deleter.staff.clinicId === message.clinicId
  )
    return allow;
  return deny("FORBIDDEN");
}
