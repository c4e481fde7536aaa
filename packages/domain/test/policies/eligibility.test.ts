import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { teamConversationKey } from "../../src/chat/Conversation";
import { canAddParticipant, canReadConversation } from "../../src/chat/eligibility";
import {
  type Capability,
  type ClinicSettings,
  canAct,
  canStartPatientChat,
  composerRules,
  type Decision,
  type Patient,
  type Person,
  type Plan,
  type PortalAccountState,
  patientConversationKey,
  patientReachability,
  type StaffRole,
} from "../../src/index";
import { canPatientStartChatWith, canStartTeamChat } from "../../src/people/reachability";
import {
  asPatient,
  asStaff,
  clinic,
  otherClinicId,
  patient,
  patientConversation,
  staff,
  teamConversation,
} from "./fixtures";
import { allPlans, describeSettings, everySettingsCombination, expectedDecision } from "./productTable";

// Restated from PRODUCT.md §2 rather than imported, so a change of the code's lists is caught.
const portalStates: readonly PortalAccountState[] = ["none", "invited", "active", "disabled"];
const inactivePortalStates = portalStates.filter((s) => s !== "active");
const roles: readonly StaffRole[] = ["admin", "practitioner", "staff"];

const allowed = { allowed: true } as const;
const denied = (reason: string, details?: Record<string, unknown>) =>
  details ? { allowed: false, reason, details } : { allowed: false, reason };

describe("canAct", () => {
  it.each(roles)("ELIG-6: an active %s may act", (role) => {
    expect(canAct(asStaff(staff({ role })))).toEqual(allowed);
  });

  it.each(roles)("ELIG-6: a deactivated %s may not act (STAFF_INACTIVE)", (role) => {
    expect(canAct(asStaff(staff({ role, active: false })))).toMatchObject(denied("STAFF_INACTIVE"));
  });

  it("ELIG-6: availability for patient chat has nothing to do with acting (ELIG-2)", () => {
    expect(canAct(asStaff(staff({ availableForPatientChat: false })))).toEqual(allowed);
  });

  it("ELIG-6: a patient with an active portal account may act", () => {
    expect(canAct(asPatient(patient({ portalAccount: "active" })))).toEqual(allowed);
  });

  it.each(inactivePortalStates)(
    "ELIG-6: a patient whose portal account is %s may not act",
    (portalAccount) => {
      expect(canAct(asPatient(patient({ portalAccount })))).toMatchObject(denied("PATIENT_PORTAL_INACTIVE"));
    },
  );
});

describe("patientReachability", () => {
  it("ELIG-1: a patient with an active portal account can receive messages and files", () => {
    expect(patientReachability(patient({ portalAccount: "active" }))).toEqual(allowed);
  });

  it.each(inactivePortalStates)(
    "ELIG-1: a patient whose portal account is %s is unreachable, with the state for the search result",
    (portalAccount) => {
      expect(patientReachability(patient({ portalAccount }))).toMatchObject(
        denied("PATIENT_PORTAL_INACTIVE", { portalAccount }),
      );
    },
  );
});

describe("canStartPatientChat", () => {
  const c = clinic("premium");

  it.each(roles)("ELIG-1: an active %s can start a chat with a reachable patient", (role) => {
    expect(canStartPatientChat(c, staff({ role }), patient())).toEqual(allowed);
  });

  it.each(inactivePortalStates)(
    "ELIG-1: no chat can be started with a patient whose portal is %s",
    (portalAccount) => {
      expect(canStartPatientChat(c, staff(), patient({ portalAccount }))).toMatchObject(
        denied("PATIENT_PORTAL_INACTIVE"),
      );
    },
  );

  it("ELIG-2: a practitioner with availability off can still start patient chats", () => {
    expect(canStartPatientChat(c, staff({ availableForPatientChat: false }), patient())).toEqual(allowed);
  });

  it("ELIG-6: a deactivated staff member cannot start a patient chat", () => {
    expect(canStartPatientChat(c, staff({ active: false }), patient())).toMatchObject(
      denied("STAFF_INACTIVE"),
    );
  });

  it("ELIG-5: a patient of another clinic is NOT_FOUND, whatever their state", () => {
    for (const portalAccount of portalStates) {
      expect(
        canStartPatientChat(c, staff(), patient({ clinicId: otherClinicId, portalAccount })),
        portalAccount,
      ).toMatchObject(denied("NOT_FOUND"));
    }
  });

  it("ELIG-5: a staff member of another clinic is NOT_FOUND", () => {
    expect(canStartPatientChat(c, staff({ clinicId: otherClinicId }), patient())).toMatchObject(
      denied("NOT_FOUND"),
    );
    expect(
      canStartPatientChat(c, staff({ clinicId: otherClinicId, active: false }), patient()),
    ).toMatchObject(denied("NOT_FOUND"));
  });

  it("ENT-1: a patient chat can be started exactly when the clinic allows text or files to this patient", () => {
    for (const plan of allPlans) {
      for (const settings of everySettingsCombination()) {
        for (const portalAccount of portalStates) {
          const label = `${plan} ${describeSettings(settings)} portal=${portalAccount}`;
          const expected = expectedComposer(plan, settings, "patient", portalAccount, "staff");
          const decision = canStartPatientChat({ ...c, plan, settings }, staff(), patient({ portalAccount }));
          expect(decision.allowed, label).toBe(expected.text.allowed || expected.file.allowed);
          if (!decision.allowed) {
            const reasons = [expected.text, expected.file].map((d) => (d.allowed ? null : d.reason));
            expect(reasons, label).toContain(decision.reason);
          }
        }
      }
    }
  });
});

describe("why a patient chat cannot start on a plan without patient messaging", () => {
  it("ENT-1: on Starter with the patient chat switch off, the switch is the reason, not the plan", () => {
    const starter = clinic("starter", { patientChatEnabled: false });
    expect(canStartPatientChat(starter, staff(), patient())).toMatchObject(denied("PATIENT_CHAT_OFF"));
    expect(canPatientStartChatWith(starter, patient(), staff({ role: "practitioner" }))).toMatchObject(
      denied("PATIENT_CHAT_OFF"),
    );
  });

  it("ENT-1: on Starter with file sharing off, that setting is the reason", () => {
    const starter = clinic("starter", { patientFileSharingEnabled: false });
    expect(canStartPatientChat(starter, staff(), patient())).toMatchObject(denied("SETTING_OFF"));
  });

  it("ELIG-1: on Starter, a patient without an active portal is the reason", () => {
    const starter = clinic("starter");
    expect(canStartPatientChat(starter, staff(), patient({ portalAccount: "invited" }))).toMatchObject(
      denied("PATIENT_PORTAL_INACTIVE"),
    );
  });
});

describe("canPatientStartChatWith", () => {
  const c = clinic("premium");

  it("ELIG-2: a patient can start a chat with an active, available practitioner", () => {
    expect(canPatientStartChatWith(c, patient(), staff({ role: "practitioner" }))).toEqual(allowed);
  });

  it("ELIG-2: a practitioner with availability off is not offered (NOT_FOUND)", () => {
    expect(canPatientStartChatWith(c, patient(), staff({ availableForPatientChat: false }))).toMatchObject(
      denied("NOT_FOUND"),
    );
  });

  it.each(["admin", "staff"] as const)(
    "ELIG-2: a staff member with role %s is not offered to patients",
    (role) => {
      expect(
        canPatientStartChatWith(c, patient(), staff({ role, availableForPatientChat: true })),
      ).toMatchObject(denied("NOT_FOUND"));
    },
  );

  it("ELIG-2/ELIG-6: a deactivated practitioner is not offered, even with availability on", () => {
    expect(canPatientStartChatWith(c, patient(), staff({ active: false }))).toMatchObject(
      denied("NOT_FOUND"),
    );
  });

  it.each(inactivePortalStates)(
    "ELIG-6: a patient whose portal is %s cannot start a chat",
    (portalAccount) => {
      expect(canPatientStartChatWith(c, patient({ portalAccount }), staff())).toMatchObject(
        denied("PATIENT_PORTAL_INACTIVE"),
      );
    },
  );

  it("ENT-1: a patient cannot start a chat while the clinic's patient chat is off", () => {
    expect(
      canPatientStartChatWith(clinic("premium", { patientChatEnabled: false }), patient(), staff()),
    ).toMatchObject(denied("PATIENT_CHAT_OFF"));
  });

  it("ENT-1: on Starter a patient can start a chat for file sharing (messaging is not in the plan)", () => {
    expect(canPatientStartChatWith(clinic("starter"), patient(), staff())).toEqual(allowed);
  });

  it("ELIG-5: a practitioner or patient of another clinic is NOT_FOUND", () => {
    expect(canPatientStartChatWith(c, patient(), staff({ clinicId: otherClinicId }))).toMatchObject(
      denied("NOT_FOUND"),
    );
    expect(canPatientStartChatWith(c, patient({ clinicId: otherClinicId }), staff())).toMatchObject(
      denied("NOT_FOUND"),
    );
  });
});

describe("canStartTeamChat", () => {
  const a = staff({ id: "s1", role: "admin" });
  const b = staff({ id: "s2", role: "practitioner" });
  const d = staff({ id: "s3", role: "staff", availableForPatientChat: false });

  it("ELIG-3: active staff of the same clinic can start a 1:1 or group Team Chat on Premium", () => {
    expect(canStartTeamChat(clinic("premium"), [a, b])).toEqual(allowed);
    expect(canStartTeamChat(clinic("premium"), [a, b, d])).toEqual(allowed);
  });

  it("ELIG-3: Team Chat does not depend on the patient chat switch", () => {
    expect(canStartTeamChat(clinic("premium", { patientChatEnabled: false }), [a, b])).toEqual(allowed);
  });

  it("ELIG-3: a deactivated member is refused with STAFF_INACTIVE", () => {
    expect(canStartTeamChat(clinic("premium"), [a, staff({ id: "s2", active: false })])).toMatchObject(
      denied("STAFF_INACTIVE"),
    );
  });

  it("ELIG-3/ELIG-5: a member of another clinic is NOT_FOUND, even when deactivated (nothing about them leaks)", () => {
    expect(
      canStartTeamChat(clinic("premium"), [a, staff({ id: "x", clinicId: otherClinicId })]),
    ).toMatchObject(denied("NOT_FOUND"));
    expect(
      canStartTeamChat(clinic("premium"), [a, staff({ id: "x", clinicId: otherClinicId, active: false })]),
    ).toMatchObject(denied("NOT_FOUND"));
  });

  it.each(["starter", "enhanced"] as const)("ELIG-3: on %s Team Chat needs Premium", (plan) => {
    expect(canStartTeamChat(clinic(plan), [a, b])).toMatchObject(
      denied("PLAN_REQUIRED", { plan: "premium" }),
    );
  });

  it("ELIG-3: with Team Chat switched off it is refused with SETTING_OFF", () => {
    expect(canStartTeamChat(clinic("premium", { teamChatEnabled: false }), [a, b])).toMatchObject(
      denied("SETTING_OFF"),
    );
  });

  it("ELIG-3: a Team Chat needs at least two people", () => {
    expect(canStartTeamChat(clinic("premium"), [a])).toMatchObject(denied("INVALID_INPUT"));
    expect(canStartTeamChat(clinic("premium"), [])).toMatchObject(denied("INVALID_INPUT"));
  });

  it("ELIG-3: the same person listed twice is still one person, not a Team Chat", () => {
    expect(canStartTeamChat(clinic("premium"), [a, a])).toMatchObject(denied("INVALID_INPUT"));
  });
});

describe("canAddParticipant", () => {
  const c = clinic("premium");
  const adder = asStaff(staff({ id: "s1" }));
  const newcomer = staff({ id: "s9", role: "staff" });

  it("ELIG-4: a staff participant can add a teammate to a patient conversation", () => {
    expect(canAddParticipant(c, patientConversation(), adder, newcomer)).toEqual(allowed);
  });

  it("ELIG-3: a staff participant can add an active teammate to a Team Chat", () => {
    expect(canAddParticipant(c, teamConversation(), adder, newcomer)).toEqual(allowed);
  });

  it("ELIG-2: a practitioner with availability off can still be added", () => {
    expect(
      canAddParticipant(c, patientConversation(), adder, staff({ id: "s9", availableForPatientChat: false })),
    ).toEqual(allowed);
  });

  it("ELIG-4: a patient cannot add anyone (FORBIDDEN)", () => {
    expect(canAddParticipant(c, patientConversation(), asPatient(patient()), newcomer)).toMatchObject(
      denied("FORBIDDEN"),
    );
  });

  it("ELIG-6: a deactivated staff member cannot add anyone", () => {
    expect(
      canAddParticipant(c, patientConversation(), asStaff(staff({ id: "s1", active: false })), newcomer),
    ).toMatchObject(denied("STAFF_INACTIVE"));
  });

  it("ELIG-3: a deactivated teammate cannot be added (STAFF_INACTIVE)", () => {
    for (const conversation of [patientConversation(), teamConversation()]) {
      expect(
        canAddParticipant(c, conversation, adder, staff({ id: "s9", active: false })),
        conversation.kind,
      ).toMatchObject(denied("STAFF_INACTIVE"));
    }
  });

  it("ELIG-5: a newcomer of another clinic is NOT_FOUND, even when deactivated", () => {
    expect(
      canAddParticipant(c, teamConversation(), adder, staff({ id: "s9", clinicId: otherClinicId })),
    ).toMatchObject(denied("NOT_FOUND"));
    expect(
      canAddParticipant(
        c,
        teamConversation(),
        adder,
        staff({ id: "s9", clinicId: otherClinicId, active: false }),
      ),
    ).toMatchObject(denied("NOT_FOUND"));
  });

  it("ELIG-5: a conversation of another clinic is NOT_FOUND", () => {
    expect(
      canAddParticipant(c, teamConversation({ clinicId: otherClinicId }), adder, newcomer),
    ).toMatchObject(denied("NOT_FOUND"));
  });

  it("ELIG-5: staff of another clinic cannot add anyone to this clinic's conversation (NOT_FOUND)", () => {
    const foreignAdmin = asStaff(staff({ id: "x1", clinicId: otherClinicId, role: "admin" }));
    expect(canAddParticipant(c, patientConversation(), foreignAdmin, newcomer)).toMatchObject(
      denied("NOT_FOUND"),
    );
    expect(canAddParticipant(c, teamConversation(), foreignAdmin, newcomer)).toMatchObject(
      denied("NOT_FOUND"),
    );
  });

  it("ENT-3: after a downgrade nobody can be added to a Team Chat (PLAN_REQUIRED), patient conversations are unaffected", () => {
    const starter = clinic("starter");
    expect(canAddParticipant(starter, teamConversation(), adder, newcomer)).toMatchObject(
      denied("PLAN_REQUIRED", { plan: "premium" }),
    );
    expect(canAddParticipant(starter, patientConversation(), adder, newcomer)).toEqual(allowed);
  });
});

describe("canReadConversation", () => {
  const member = asStaff(staff({ id: "s1" }));
  const own = asPatient(patient({ id: "p1" }));

  it("ELIG-4: a staff participant can read a patient conversation and a Team Chat", () => {
    expect(canReadConversation(patientConversation(), member, true)).toEqual(allowed);
    expect(canReadConversation(teamConversation(), member, true)).toEqual(allowed);
  });

  it("ELIG-4: a patient can read their own conversation", () => {
    expect(canReadConversation(patientConversation({ patientId: "p1" }), own, true)).toEqual(allowed);
  });

  it("ELIG-4: a patient can never read another patient's conversation, even if listed as a participant", () => {
    expect(
      canReadConversation(patientConversation({ patientId: "p2", key: "patient:p2" }), own, true),
    ).toMatchObject(denied("NOT_FOUND"));
  });

  it("ELIG-3/ELIG-4: a patient can never read a Team Chat, even if listed as a participant", () => {
    expect(canReadConversation(teamConversation(), own, true)).toMatchObject(denied("NOT_FOUND"));
  });

  it("ELIG-4: a non-participant gets NOT_FOUND, exactly like an unknown conversation — admins included", () => {
    const unknown = canReadConversation(null, member, false);
    expect(unknown).toMatchObject(denied("NOT_FOUND"));
    for (const role of roles) {
      const reader = asStaff(staff({ id: "s5", role }));
      expect(canReadConversation(patientConversation(), reader, false), role).toEqual(unknown);
      expect(canReadConversation(teamConversation(), reader, false), role).toEqual(unknown);
    }
    expect(canReadConversation(patientConversation({ patientId: "p1" }), own, false)).toEqual(unknown);
  });

  it("ELIG-5: a conversation of another clinic answers exactly like an unknown id, even for a listed participant", () => {
    const unknown = canReadConversation(null, member, false);
    expect(canReadConversation(patientConversation({ clinicId: otherClinicId }), member, true)).toEqual(
      unknown,
    );
    expect(canReadConversation(teamConversation({ clinicId: otherClinicId }), member, true)).toEqual(unknown);
    expect(
      canReadConversation(patientConversation({ clinicId: otherClinicId, patientId: "p1" }), own, true),
    ).toEqual(canReadConversation(null, own, false));
  });

  it("ELIG-6: deactivated staff and patients without an active portal can no longer read", () => {
    expect(canReadConversation(patientConversation(), asStaff(staff({ active: false })), true)).toMatchObject(
      denied("STAFF_INACTIVE"),
    );
    for (const portalAccount of inactivePortalStates) {
      expect(
        canReadConversation(patientConversation(), asPatient(patient({ portalAccount })), true),
        portalAccount,
      ).toMatchObject(denied("PATIENT_PORTAL_INACTIVE"));
    }
  });

  it("ENT-3: history stays readable whatever the plan and settings (reading takes no entitlement)", () => {
    // The composer of this conversation is disabled on Starter with patient chat off…
    const starterOff = clinic("starter", { patientChatEnabled: false, teamChatEnabled: false });
    const rules = composerRules(starterOff, teamConversation(), null, member);
    expect(rules.text.allowed).toBe(false);
    // …yet its participant still reads it: the read policy does not take the clinic's entitlements.
    expect(canReadConversation(teamConversation(), member, true)).toEqual(allowed);
  });
});

type SenderKind = "staff" | "unavailablePractitioner" | "inactiveStaff" | "patient";
type Expected = { allowed: true } | { allowed: false; reason: string; details?: Record<string, unknown> };

/**
 * The composer as the test reads PRODUCT.md: a sender who may not act gets their own reason on
 * both; Team Chat follows the Team Chat entitlement; a patient conversation follows the capability
 * of each kind of content first (what the admin must change), then the patient's portal (ELIG-1).
 */
function expectedComposer(
  plan: Plan,
  settings: ClinicSettings,
  kind: "patient" | "team",
  portalAccount: PortalAccountState,
  sender: SenderKind,
): { text: Expected; file: Expected } {
  if (sender === "inactiveStaff") return { text: denied("STAFF_INACTIVE"), file: denied("STAFF_INACTIVE") };
  if (sender === "patient" && portalAccount !== "active")
    return { text: denied("PATIENT_PORTAL_INACTIVE"), file: denied("PATIENT_PORTAL_INACTIVE") };
  if (kind === "team") {
    const team = expectedDecision(plan, settings, "teamChat");
    return { text: team, file: team };
  }
  const forContent = (capability: Capability): Expected => {
    const entitled = expectedDecision(plan, settings, capability);
    if (!entitled.allowed) return entitled;
    return portalAccount === "active" ? allowed : denied("PATIENT_PORTAL_INACTIVE");
  };
  return { text: forContent("patientMessaging"), file: forContent("patientFileSharing") };
}

function senderPerson(kind: SenderKind, p: Patient): Person {
  switch (kind) {
    case "staff":
      return asStaff(staff({ id: "s1", role: "admin" }));
    case "unavailablePractitioner":
      return asStaff(staff({ id: "s2", role: "practitioner", availableForPatientChat: false }));
    case "inactiveStaff":
      return asStaff(staff({ id: "s3", active: false }));
    case "patient":
      return asPatient(p);
  }
}

function check(actual: Decision, expected: Expected, label: string): void {
  expect(actual, label).toMatchObject(expected);
  if (actual.allowed) expect(actual, label).toEqual(allowed);
}

describe("composerRules", () => {
  const senders: SenderKind[] = ["staff", "unavailablePractitioner", "inactiveStaff", "patient"];

  it.each(allPlans)(
    "ENT-1/ENT-3/ELIG-1/ELIG-6: patient conversation on %s — every setting, portal state and sender",
    (plan) => {
      for (const settings of everySettingsCombination()) {
        for (const portalAccount of portalStates) {
          const p = patient({ portalAccount });
          for (const sender of senders) {
            const label = `${plan} ${describeSettings(settings)} portal=${portalAccount} sender=${sender}`;
            const rules = composerRules(
              { plan, settings },
              patientConversation(),
              p,
              senderPerson(sender, p),
            );
            const expected = expectedComposer(plan, settings, "patient", portalAccount, sender);
            check(rules.text, expected.text, `${label} text`);
            check(rules.file, expected.file, `${label} file`);
          }
        }
      }
    },
  );

  it.each(allPlans)("ENT-1/ENT-3/ELIG-3/ELIG-6: Team Chat on %s — every setting and staff sender", (plan) => {
    for (const settings of everySettingsCombination()) {
      for (const sender of ["staff", "unavailablePractitioner", "inactiveStaff"] as const) {
        const label = `${plan} ${describeSettings(settings)} sender=${sender}`;
        const rules = composerRules(
          { plan, settings },
          teamConversation(),
          null,
          senderPerson(sender, patient()),
        );
        const expected = expectedComposer(plan, settings, "team", "active", sender);
        check(rules.text, expected.text, `${label} text`);
        check(rules.file, expected.file, `${label} file`);
      }
    }
  });

  it("ENT-3: the disabled composer explains itself with the plan needed after a downgrade", () => {
    const downgraded = clinic("starter");
    const sender = asStaff(staff());
    expect(composerRules(downgraded, teamConversation(), null, sender).text).toMatchObject(
      denied("PLAN_REQUIRED", { plan: "premium" }),
    );
    const patientRules = composerRules(downgraded, patientConversation(), patient(), sender);
    expect(patientRules.text).toMatchObject(denied("PLAN_REQUIRED", { plan: "enhanced" }));
    expect(patientRules.file).toEqual(allowed);
  });

  it("ENT-1: with patient chat off the composer says so, for text and for files", () => {
    const rules = composerRules(
      clinic("premium", { patientChatEnabled: false }),
      patientConversation(),
      patient(),
      asStaff(staff()),
    );
    expect(rules).toMatchObject({ text: denied("PATIENT_CHAT_OFF"), file: denied("PATIENT_CHAT_OFF") });
  });

  it("ELIG-1: the composer tells staff the patient's portal is not active, naming the state", () => {
    const rules = composerRules(
      clinic(),
      patientConversation(),
      patient({ portalAccount: "invited" }),
      asStaff(staff()),
    );
    expect(rules.text).toMatchObject(denied("PATIENT_PORTAL_INACTIVE", { portalAccount: "invited" }));
  });

  it("ELIG-4/ELIG-5: a patient conversation whose patient cannot be loaded sends nothing (NOT_FOUND)", () => {
    const rules = composerRules(clinic(), patientConversation(), null, asStaff(staff()));
    expect(rules).toMatchObject({ text: denied("NOT_FOUND"), file: denied("NOT_FOUND") });
  });
});

describe("conversation keys", () => {
  const idArb = fc.constantFrom("s1", "s2", "s3", "s10", "a", "B", "staff-0193");

  it("START-1: a team key is the same whatever the order of the staff ids", () => {
    fc.assert(
      fc.property(
        fc
          .array(idArb, { maxLength: 8 })
          .chain((ids) =>
            fc.tuple(
              fc.constant(ids),
              fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }),
            ),
          ),
        ([ids, shuffled]) => {
          expect(teamConversationKey(shuffled)).toBe(teamConversationKey(ids));
        },
      ),
    );
  });

  it("START-1: a team key ignores duplicate ids", () => {
    fc.assert(
      fc.property(fc.array(idArb, { minLength: 1, maxLength: 8 }), fc.nat(), (ids, n) => {
        const repeated = [...ids, ...ids.slice(0, (n % ids.length) + 1)];
        expect(teamConversationKey(repeated)).toBe(teamConversationKey(ids));
      }),
    );
  });

  it("START-1: two team keys are equal exactly when the sets of staff are equal", () => {
    fc.assert(
      fc.property(fc.array(idArb, { maxLength: 6 }), fc.array(idArb, { maxLength: 6 }), (a, b) => {
        const sameSet = new Set(a).size === new Set(b).size && a.every((id) => b.includes(id));
        expect(teamConversationKey(a) === teamConversationKey(b)).toBe(sameSet);
      }),
    );
  });

  it("START-1: the team key is `team:` and the sorted ids (the stored format)", () => {
    expect(teamConversationKey(["s2", "s1", "s2"])).toBe("team:s1,s2");
  });

  it("START-1: a patient has one key; different patients have different keys, and none is a team key", () => {
    expect(patientConversationKey("p1")).toBe("patient:p1");
    // Few letters, so that ids often share a prefix or differ only at the end.
    const patientIdArb = fc.string({
      unit: fc.constantFrom("p", "1", "0", "-", ":"),
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(patientIdArb, patientIdArb, fc.array(idArb), (p, q, team) => {
        expect(patientConversationKey(p) === patientConversationKey(q)).toBe(p === q);
        expect(patientConversationKey(p)).not.toBe(teamConversationKey(team));
      }),
    );
  });
});
