import type { PersonRef, Stores } from "@clinic-chat/domain";
import { inboxCases } from "./inboxCases";
import { bigClinic, busyStaff } from "./seed";

/** One measured query: its inputs, each run through the adapter and as the same SQL. */
export interface Case {
  readonly name: string;
  /** Target p99 through the adapter, ms. */
  readonly p99Target: number;
  readonly inputs: readonly { readonly label: string; readonly run: (stores: Stores) => Promise<unknown> }[];
}

const staff: PersonRef = { kind: "staff", id: busyStaff };

/** Every case, in the order measured. */
export const allCases: Case[] = [
  {
    name: "conversation list (20, unread counts)",
    p99Target: 10,
    inputs: [{ label: "busy staff member", run: (s) => s.conversations.listFor(staff, { limit: 20 }) }],
  },
  {
    name: "history page (50 by seq cursor)",
    p99Target: 5,
    inputs: [2069, 1500, 1000, 700, 400, 51].map((beforeSeq, i) => ({
      label: `before seq ${beforeSeq}`,
      run: (s: Stores) =>
        s.messages.history(`${bigClinic}-v${String(i).padStart(6, "0")}`, { limit: 50, beforeSeq }),
    })),
  },
  {
    name: "patient name search (20)",
    p99Target: 15,
    // Prefixes as typed, full names, and typos (`jonh`, `hernandes`, `rodrigez`; `maria` is no
    // first name here, so `maria lopez` is a typo too).
    inputs: ["smi", "garcia", "jonh", "maria lopez", "hernandes", "pat", "kathleen wood", "rodrigez"].map(
      (q) => ({ label: q, run: (s: Stores) => s.directory.searchPatients(q, 20) }),
    ),
  },
  ...inboxCases,
];
