import { plans, settingLimits } from "@clinic-chat/domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, staffProcedure } from "../trpc";
import { noInput } from "./fields";

const bounded = (limit: { min: number; max: number }) => z.int().min(limit.min).max(limit.max);

/** Inputs of the clinic procedures (SEC-6). */
export const clinicInput = {
  entitlements: noInput,
  changeSettings: z
    .strictObject({
      patientChatEnabled: z.boolean().optional(),
      patientFileSharingEnabled: z.boolean().optional(),
      patientMessagingEnabled: z.boolean().optional(),
      teamChatEnabled: z.boolean().optional(),
      smsNotificationsEnabled: z.boolean().optional(),
      idleTimeoutMinutes: bounded(settingLimits.idleTimeoutMinutes).optional(),
      notificationDelaySeconds: bounded(settingLimits.notificationDelaySeconds).optional(),
    })
    .refine((change) => Object.values(change).some((value) => value !== undefined), {
      error: "change at least one setting",
    }),
  changePlan: z.strictObject({ plan: z.enum(plans) }),
};

/** Clinic Settings: what the clinic can do now (ENT-1), changing settings (ENT-2) and the plan (ENT-3). */
export const clinicRouter = {
  entitlements: staffProcedure
    .input(clinicInput.entitlements)
    .query(({ ctx }) => ctx.deps.chat.entitlementView(ctx.actor)),
  changeSettings: adminProcedure
    .input(clinicInput.changeSettings)
    .mutation(({ ctx, input }) => ctx.deps.chat.changeClinicSettings(ctx.actor, input)),
  changePlan: adminProcedure
    .input(clinicInput.changePlan)
    .mutation(({ ctx, input }) => ctx.deps.chat.changeClinicPlan(ctx.actor, input)),
} satisfies TRPCRouterRecord;
