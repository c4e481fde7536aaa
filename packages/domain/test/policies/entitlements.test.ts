import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSettingsChange } from "../../src/clinic/entitlements";
import {
  type ClinicSettings,
  defaultSettings,
  entitlementsFor,
  type Plan,
  type SettingsChange,
} from "../../src/index";
import {
  allCapabilities,
  allPlans,
  type BooleanSetting,
  booleanSettings,
  describeSettings,
  everySettingsCombination,
  expectedDecision,
  included,
  planNeeded,
  switchOf,
} from "./productTable";

const table = allPlans.flatMap((plan) =>
  everySettingsCombination().map((settings) => ({ plan, settings, label: describeSettings(settings) })),
);

describe("entitlementsFor", () => {
  it("ENT-1: the table covers every plan and every combination of the boolean settings", () => {
    expect(table).toHaveLength(3 * 32);
  });

  it.each(table)("ENT-1: $plan with $label", ({ plan, settings }) => {
    const entitlements = entitlementsFor({ plan, settings });
    expect(Object.keys(entitlements).sort()).toEqual([...allCapabilities].sort());
    for (const capability of allCapabilities) {
      const expected = expectedDecision(plan, settings, capability);
      const actual = entitlements[capability];
      expect(actual, capability).toMatchObject(expected);
      if (actual.allowed) expect(actual, capability).toEqual({ allowed: true });
    }
  });

  it("ENT-1: a PLAN_REQUIRED reason names the cheapest plan that includes the capability", () => {
    const settings = everySettingsCombination().at(-1)!;
    expect(entitlementsFor({ plan: "starter", settings }).patientMessaging).toMatchObject({
      reason: "PLAN_REQUIRED",
      details: { plan: "enhanced" },
    });
    expect(entitlementsFor({ plan: "starter", settings }).teamChat).toMatchObject({
      reason: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
    expect(entitlementsFor({ plan: "enhanced", settings }).teamChat).toMatchObject({
      reason: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
  });

  it("ENT-1: the patient chat master switch never gates Team Chat", () => {
    for (const settings of everySettingsCombination().filter((s) => s.teamChatEnabled)) {
      expect(entitlementsFor({ plan: "premium", settings }).teamChat).toEqual({ allowed: true });
    }
  });
});

describe("defaultSettings", () => {
  // PRODUCT.md §1, the defaults table.
  const expectedDefaults: Record<Plan, Record<BooleanSetting, boolean>> = {
    starter: {
      patientChatEnabled: false,
      patientFileSharingEnabled: true,
      patientMessagingEnabled: false,
      teamChatEnabled: false,
      smsNotificationsEnabled: false,
    },
    enhanced: {
      patientChatEnabled: false,
      patientFileSharingEnabled: true,
      patientMessagingEnabled: true,
      teamChatEnabled: false,
      smsNotificationsEnabled: false,
    },
    premium: {
      patientChatEnabled: false,
      patientFileSharingEnabled: true,
      patientMessagingEnabled: true,
      teamChatEnabled: true,
      smsNotificationsEnabled: false,
    },
  };

  it.each(allPlans)("ENT-1: a new %s clinic starts with the defaults of the table", (plan) => {
    expect(defaultSettings(plan)).toMatchObject(expectedDefaults[plan]);
  });

  it.each(allPlans)("ENT-1: a new %s clinic's defaults are within the numeric limits", (plan) => {
    expect(checkSettingsChange({ plan, settings: defaultSettings(plan) }, defaultSettings(plan))).toEqual({
      allowed: true,
    });
  });

  it("ENT-1: out of the box no patient capability is usable (the master switch is off) and only Premium has Team Chat", () => {
    for (const plan of allPlans) {
      const entitlements = entitlementsFor({ plan, settings: defaultSettings(plan) });
      expect(entitlements.patientFileSharing, plan).toMatchObject({
        allowed: false,
        reason: "PATIENT_CHAT_OFF",
      });
      expect(entitlements.patientMessaging, plan).toMatchObject({
        allowed: false,
        reason: plan === "starter" ? "PLAN_REQUIRED" : "PATIENT_CHAT_OFF",
      });
      expect(entitlements.teamChat.allowed, plan).toBe(plan === "premium");
    }
  });

  it("ENT-1: turning on the master switch with the defaults gives each plan exactly its row of the table", () => {
    for (const plan of allPlans) {
      const settings = { ...defaultSettings(plan), patientChatEnabled: true };
      const entitlements = entitlementsFor({ plan, settings });
      for (const capability of allCapabilities) {
        expect(entitlements[capability].allowed, `${plan} ${capability}`).toBe(
          included[capability].includes(plan),
        );
      }
    }
  });
});

describe("checkSettingsChange", () => {
  const allOff: ClinicSettings = {
    ...defaultSettings("starter"),
    patientChatEnabled: false,
    patientFileSharingEnabled: false,
    patientMessagingEnabled: false,
    teamChatEnabled: false,
    smsNotificationsEnabled: false,
  };
  const allOn: ClinicSettings = {
    ...allOff,
    patientChatEnabled: true,
    patientFileSharingEnabled: true,
    patientMessagingEnabled: true,
    teamChatEnabled: true,
    smsNotificationsEnabled: true,
  };

  const turnOnCases = allPlans.flatMap((plan) => allCapabilities.map((capability) => ({ plan, capability })));

  it.each(turnOnCases)("ENT-2: on $plan, turning on $capability", ({ plan, capability }) => {
    const decision = checkSettingsChange({ plan, settings: allOff }, { [switchOf[capability]]: true });
    if (included[capability].includes(plan)) {
      expect(decision).toEqual({ allowed: true });
    } else {
      expect(decision).toMatchObject({
        allowed: false,
        reason: "PLAN_REQUIRED",
        details: { plan: planNeeded[capability] },
      });
    }
  });

  it.each(allPlans)("ENT-2: on %s, the patient chat master switch and SMS can be turned on", (plan) => {
    expect(checkSettingsChange({ plan, settings: allOff }, { patientChatEnabled: true })).toEqual({
      allowed: true,
    });
    expect(checkSettingsChange({ plan, settings: allOff }, { smsNotificationsEnabled: true })).toEqual({
      allowed: true,
    });
  });

  it("ENT-2: a change that turns on an allowed and a forbidden setting together is refused as a whole", () => {
    expect(
      checkSettingsChange(
        { plan: "enhanced", settings: allOff },
        { patientChatEnabled: true, patientMessagingEnabled: true, teamChatEnabled: true },
      ),
    ).toMatchObject({ allowed: false, reason: "PLAN_REQUIRED", details: { plan: "premium" } });
  });

  it.each(allPlans)("ENT-2: on %s, turning any setting off is always allowed", (plan) => {
    for (const setting of booleanSettings) {
      expect(checkSettingsChange({ plan, settings: allOn }, { [setting]: false }), setting).toEqual({
        allowed: true,
      });
    }
    const everythingOff = Object.fromEntries(booleanSettings.map((s) => [s, false]));
    expect(checkSettingsChange({ plan, settings: allOn }, everythingOff)).toEqual({ allowed: true });
  });

  it("ENT-2: an empty change is allowed", () => {
    expect(checkSettingsChange({ plan: "starter", settings: allOff }, {})).toEqual({ allowed: true });
  });

  const numeric: {
    setting: "idleTimeoutMinutes" | "notificationDelaySeconds";
    ok: number[];
    bad: number[];
  }[] = [
    {
      setting: "idleTimeoutMinutes",
      ok: [1, 5, 15],
      bad: [0, -1, 16, 1.5, Number.NaN, Number.POSITIVE_INFINITY],
    },
    {
      setting: "notificationDelaySeconds",
      // NOTIF-1: 30 seconds to 60 minutes; below 30 seconds nothing would coalesce.
      ok: [30, 120, 3600],
      bad: [0, 29, -1, 3601, 30.5, Number.NaN, Number.NEGATIVE_INFINITY],
    },
  ];

  it.each(numeric)("ENT-2 NOTIF-1: $setting within its limits is accepted", ({ setting, ok }) => {
    for (const value of ok) {
      expect(
        checkSettingsChange({ plan: "premium", settings: allOn }, { [setting]: value }),
        `${value}`,
      ).toEqual({
        allowed: true,
      });
    }
  });

  it.each(numeric)(
    "ENT-2 NOTIF-1: $setting outside its limits or not a whole number is refused with INVALID_INPUT",
    ({ setting, bad }) => {
      for (const value of bad) {
        expect(
          checkSettingsChange({ plan: "premium", settings: allOn }, { [setting]: value }),
          `${value}`,
        ).toMatchObject({ allowed: false, reason: "INVALID_INPUT", details: { setting } });
      }
    },
  );

  it("ENT-2: a valid switch change alongside an invalid number is refused", () => {
    expect(
      checkSettingsChange(
        { plan: "premium", settings: allOff },
        { patientChatEnabled: true, idleTimeoutMinutes: 60 },
      ),
    ).toMatchObject({ allowed: false, reason: "INVALID_INPUT" });
  });

  it("ENT-2: property — a change is allowed exactly when it turns on nothing the plan lacks and every number is in range", () => {
    const settingsArb = fc.record({
      patientChatEnabled: fc.boolean(),
      patientFileSharingEnabled: fc.boolean(),
      patientMessagingEnabled: fc.boolean(),
      teamChatEnabled: fc.boolean(),
      smsNotificationsEnabled: fc.boolean(),
      idleTimeoutMinutes: fc.integer({ min: 1, max: 15 }),
      notificationDelaySeconds: fc.integer({ min: 30, max: 3600 }),
    });
    const changeArb: fc.Arbitrary<SettingsChange> = fc.record(
      {
        patientChatEnabled: fc.boolean(),
        patientFileSharingEnabled: fc.boolean(),
        patientMessagingEnabled: fc.boolean(),
        teamChatEnabled: fc.boolean(),
        smsNotificationsEnabled: fc.boolean(),
        idleTimeoutMinutes: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.double({ min: -5, max: 30 })),
        notificationDelaySeconds: fc.oneof(
          fc.integer({ min: -10, max: 4000 }),
          fc.double({ min: -10, max: 4000 }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...allPlans), settingsArb, changeArb, (plan, settings, change) => {
        const planViolation = allCapabilities.some(
          (c) => change[switchOf[c]] === true && !settings[switchOf[c]] && !included[c].includes(plan),
        );
        const inRange = (v: number | undefined, min: number, max: number) =>
          v === undefined || (Number.isInteger(v) && v >= min && v <= max);
        const numberViolation =
          !inRange(change.idleTimeoutMinutes, 1, 15) || !inRange(change.notificationDelaySeconds, 30, 3600);
        const decision = checkSettingsChange({ plan, settings }, change);
        expect(decision.allowed).toBe(!planViolation && !numberViolation);
        if (!decision.allowed) {
          const possible = [
            ...(planViolation ? ["PLAN_REQUIRED"] : []),
            ...(numberViolation ? ["INVALID_INPUT"] : []),
          ];
          expect(possible).toContain(decision.reason);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("downgrades (ENT-3)", () => {
  const premiumInUse: ClinicSettings = { ...defaultSettings("premium"), patientChatEnabled: true };

  it("ENT-3: a Premium clinic in use has every capability", () => {
    const entitlements = entitlementsFor({ plan: "premium", settings: premiumInUse });
    for (const capability of allCapabilities)
      expect(entitlements[capability], capability).toEqual({ allowed: true });
  });

  it("ENT-3: downgraded to Starter, its settings stay on but Team Chat and messaging are denied naming the plan needed", () => {
    const downgraded = { plan: "starter" as const, settings: premiumInUse };
    const entitlements = entitlementsFor(downgraded);
    expect(downgraded.settings.teamChatEnabled).toBe(true);
    expect(downgraded.settings.patientMessagingEnabled).toBe(true);
    expect(entitlements.teamChat).toMatchObject({
      allowed: false,
      reason: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
    expect(entitlements.patientMessaging).toMatchObject({
      allowed: false,
      reason: "PLAN_REQUIRED",
      details: { plan: "enhanced" },
    });
    expect(entitlements.patientFileSharing).toEqual({ allowed: true });
  });

  it("ENT-3: entitlementsFor does not change the settings it is given (nothing is turned off behind the admin's back)", () => {
    const settings = { ...premiumInUse };
    const before = JSON.stringify(settings);
    entitlementsFor({ plan: "starter", settings });
    checkSettingsChange({ plan: "starter", settings }, { teamChatEnabled: false });
    expect(JSON.stringify(settings)).toBe(before);
  });

  it("ENT-3: downgraded to Enhanced, only Team Chat is lost", () => {
    const entitlements = entitlementsFor({ plan: "enhanced", settings: premiumInUse });
    expect(entitlements.teamChat).toMatchObject({ reason: "PLAN_REQUIRED", details: { plan: "premium" } });
    expect(entitlements.patientMessaging).toEqual({ allowed: true });
    expect(entitlements.patientFileSharing).toEqual({ allowed: true });
  });

  it("ENT-3: after a downgrade the stale-on settings can be turned off", () => {
    expect(
      checkSettingsChange(
        { plan: "starter", settings: premiumInUse },
        { teamChatEnabled: false, patientMessagingEnabled: false },
      ),
    ).toEqual({ allowed: true });
  });

  it("ENT-3: after a downgrade, saving the settings form unchanged (stale-on values re-sent) is not refused, and still grants nothing", () => {
    const downgraded = { plan: "starter" as const, settings: premiumInUse };
    expect(checkSettingsChange(downgraded, { ...premiumInUse })).toEqual({ allowed: true });
    expect(entitlementsFor(downgraded).teamChat.allowed).toBe(false);
    expect(entitlementsFor(downgraded).patientMessaging.allowed).toBe(false);
  });

  it("ENT-2/ENT-3: once turned off after a downgrade, a setting the plan lacks cannot be turned back on", () => {
    const starterWithTeamOff = {
      plan: "starter" as const,
      settings: { ...premiumInUse, teamChatEnabled: false },
    };
    expect(checkSettingsChange(starterWithTeamOff, { teamChatEnabled: true })).toMatchObject({
      allowed: false,
      reason: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
  });
});
