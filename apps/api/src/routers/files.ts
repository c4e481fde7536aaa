import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { domainErrorTable } from "../domainErrorTable";
import { authedProcedure } from "../trpc";
import { clientId, id, singleLine } from "./fields";

/** Inputs of the file procedures (SEC-6). Size and type rules are the domain's, so users get its explanation. */
export const filesInput = {
  requestUpload: z.strictObject({
    conversationId: id,
    clientId,
    // The domain cleans the name and keeps 255 characters; longer names are cut, not refused.
    fileName: singleLine().min(1).max(1000),
    sizeBytes: z
      .int()
      .min(0)
      .max(2 ** 40),
    contentType: singleLine().min(1).max(255),
  }),
  confirmUpload: z.strictObject({ fileId: id }),
  uploadState: z.strictObject({ fileId: id }),
  download: z.strictObject({ fileId: id }),
  preview: z.strictObject({
    fileId: id,
    renditions: z
      .array(z.enum(["thumbnail", "display"]))
      .min(1)
      .max(2),
  }),
  inProgress: z.strictObject({ conversationId: id }),
  cancelUpload: z.strictObject({ fileId: id }),
};

/**
 * Files: presigned upload, confirmation after the bytes are checked, the state of an upload waiting
 * for its malware scan, presigned download, image previews, and the sender's uploads in progress
 * with their cancel (FILE-1..3, FILE-6..8).
 */
export const filesRouter = {
  requestUpload: authedProcedure
    .input(filesInput.requestUpload)
    .mutation(({ ctx, input }) => ctx.deps.chat.requestFileUpload(ctx.actor, input)),
  confirmUpload: authedProcedure
    .input(filesInput.confirmUpload)
    .mutation(({ ctx, input }) => ctx.deps.chat.confirmFileUpload(ctx.actor, input)),
  // FILE-6: a sender polls this while their file waits for its malware scan; ids and a reason only.
  uploadState: authedProcedure.input(filesInput.uploadState).query(async ({ ctx, input }) => {
    const state = await ctx.deps.chat.uploadState(ctx.actor, input);
    // The sender is told why in the same words as any refusal.
    return state.state === "refused"
      ? { ...state, sentence: domainErrorTable[state.reason].sentence({}) }
      : state;
  }),
  // A mutation: every call issues a fresh link and an audit record (FILE-3), so it must never be
  // refetched in the background or cached like a query.
  download: authedProcedure
    .input(filesInput.download)
    .mutation(({ ctx, input }) => ctx.deps.chat.downloadFile(ctx.actor, input)),
  // FILE-7: links to an image's renditions, issued and audited like a download, hence a mutation.
  preview: authedProcedure
    .input(filesInput.preview)
    .mutation(({ ctx, input }) => ctx.deps.chat.filePreview(ctx.actor, input)),
  // FILE-8: the sender's own uploads still being checked, so a reloaded page shows them waiting.
  inProgress: authedProcedure
    .input(filesInput.inProgress)
    .query(({ ctx, input }) => ctx.deps.chat.uploadsInProgress(ctx.actor, input)),
  cancelUpload: authedProcedure
    .input(filesInput.cancelUpload)
    .mutation(({ ctx, input }) => ctx.deps.chat.cancelUpload(ctx.actor, input)),
} satisfies TRPCRouterRecord;
