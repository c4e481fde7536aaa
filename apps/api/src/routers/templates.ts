import { templateLimits } from "@clinic-chat/domain/templates";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { staffProcedure } from "../trpc";
import { id, multiLine, noInput, singleLine } from "./fields";

/** Inputs of the template procedures (SEC-6); the domain trims and counts. */
export const templatesInput = {
  list: noInput,
  save: z.strictObject({
    templateId: id.nullish(),
    scope: z.enum(["clinic", "personal"]),
    name: singleLine()
      .min(1)
      .max(templateLimits.nameMaxLength * 4),
    text: multiLine()
      .min(1)
      .max(templateLimits.textMaxLength * 4),
  }),
  delete: z.strictObject({ templateId: id }),
  fill: z.strictObject({ conversationId: id, templateId: id }),
};

/**
 * Reply templates (TPL-1): the clinic's (kept by admins) and one's own, and a template filled in
 * for a conversation. A filled template is PHI: it goes back to the composer and nowhere else.
 */
export const templatesRouter = {
  list: staffProcedure.input(templatesInput.list).query(({ ctx }) => ctx.deps.chat.listTemplates(ctx.actor)),
  save: staffProcedure
    .input(templatesInput.save)
    .mutation(({ ctx, input }) => ctx.deps.chat.saveTemplate(ctx.actor, input)),
  delete: staffProcedure
    .input(templatesInput.delete)
    .mutation(({ ctx, input }) => ctx.deps.chat.deleteTemplate(ctx.actor, input)),
  fill: staffProcedure
    .input(templatesInput.fill)
    .mutation(({ ctx, input }) => ctx.deps.chat.fillTemplate(ctx.actor, input)),
} satisfies TRPCRouterRecord;
