import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { AuthService } from "../auth/createAuth";
import { isReturnPath } from "../auth/returnPath";
import { tokenShape } from "../auth/secrets";
import { authedProcedure, type Context, publicProcedure } from "../trpc";
import { id, noInput, singleLine } from "./fields";

// A mutation always travels with a JSON body, and an empty body is not JSON: mutations that need
// nothing take an empty object, which stays strict like every other input.
const nothing = z.strictObject({});

/** Inputs of the sign-in procedures (SEC-6). Lengths are bounds; the password rule has its own sentence. */
export const authInput = {
  signIn: z.strictObject({
    audience: z.enum(["staff", "patient"]),
    email: singleLine().min(3).max(320),
    password: singleLine().min(1).max(1024),
    code: singleLine().min(1).max(32).optional(),
    clinicId: id.optional(),
  }),
  signOut: nothing,
  signOutEverywhere: nothing,
  me: noInput,
  startTotpEnrolment: nothing,
  confirmTotpEnrolment: z.strictObject({ code: z.string().regex(/^\d{6}$/) }),
  acceptInvitation: z.strictObject({
    token: z.string().regex(tokenShape),
    password: singleLine().min(1).max(1024),
  }),
  // ACC-1: `next`, the page the person was going to, comes back in the emailed link.
  requestPasswordReset: z
    .strictObject({
      audience: z.enum(["staff", "patient"]),
      email: singleLine().min(3).max(320),
      next: singleLine().min(1).max(512).optional(),
    })
    .refine((input) => input.next === undefined || isReturnPath(input.audience, input.next), {
      error: "not a page of this app",
      path: ["next"],
    }),
  resetPassword: z.strictObject({
    token: z.string().regex(tokenShape),
    password: singleLine().min(1).max(1024),
  }),
  changePassword: z.strictObject({
    currentPassword: singleLine().min(1).max(1024),
    newPassword: singleLine().min(1).max(1024),
  }),
  staffInvitation: z.strictObject({ token: z.string().regex(tokenShape) }),
  acceptStaffInvitation: z.strictObject({
    token: z.string().regex(tokenShape),
    name: singleLine().trim().min(1).max(200),
    password: singleLine().min(1).max(1024),
  }),
};

/** The sign-in service, or a plain (500) failure when the composition root did not wire it. */
export function authOf(ctx: Pick<Context, "deps">): AuthService {
  if (!ctx.deps.auth) throw new Error("sign-in is not configured");
  return ctx.deps.auth;
}

const tokenOf = (ctx: Context, auth: AuthService) => auth.cookie.read(ctx.http?.cookieHeader);

/**
 * Sign-in (SEC-1, SEC-2): email and password, then TOTP (staff always); the session lives in an
 * httpOnly cookie these procedures set and clear. Tokens never appear in a response body.
 */
export const authRouter = {
  signIn: publicProcedure.input(authInput.signIn).mutation(async ({ ctx, input }) => {
    const auth = authOf(ctx);
    const outcome = await auth.signIn(input, { ip: ctx.ip });
    if (outcome.status !== "signedIn") return outcome;
    ctx.http?.setCookie(auth.cookie.set(outcome.token));
    return { status: outcome.status, recoveryCodes: outcome.recoveryCodes };
  }),
  // Public: a browser whose session already ended still gets its cookie cleared.
  signOut: publicProcedure.input(authInput.signOut).mutation(async ({ ctx }) => {
    const auth = authOf(ctx);
    await auth.signOut(ctx.session, tokenOf(ctx, auth), { ip: ctx.ip });
    ctx.http?.setCookie(auth.cookie.clear());
    return { signedOut: true as const };
  }),
  signOutEverywhere: authedProcedure.input(authInput.signOutEverywhere).mutation(async ({ ctx }) => {
    const auth = authOf(ctx);
    const ended = await auth.signOutEverywhere(ctx.session, { ip: ctx.ip });
    ctx.http?.setCookie(auth.cookie.clear());
    return { sessionsEnded: ended };
  }),
  me: authedProcedure.input(authInput.me).query(async ({ ctx }) => {
    const auth = authOf(ctx);
    const me = await auth.me(ctx.session, tokenOf(ctx, auth));
    return { ...me, sessionExpiresAt: me.sessionExpiresAt?.toISOString() ?? null };
  }),
  startTotpEnrolment: authedProcedure
    .input(authInput.startTotpEnrolment)
    .mutation(({ ctx }) => authOf(ctx).startTotpEnrolment(ctx.session)),
  confirmTotpEnrolment: authedProcedure
    .input(authInput.confirmTotpEnrolment)
    .mutation(({ ctx, input }) => authOf(ctx).confirmTotpEnrolment(ctx.session, input.code, { ip: ctx.ip })),
  acceptInvitation: publicProcedure.input(authInput.acceptInvitation).mutation(async ({ ctx, input }) => {
    const auth = authOf(ctx);
    const { token } = await auth.acceptInvitation(input, { ip: ctx.ip });
    ctx.http?.setCookie(auth.cookie.set(token));
    return { status: "signedIn" as const };
  }),
  // ACC-1: the same answer whether the email belongs to an account or not.
  requestPasswordReset: publicProcedure
    .input(authInput.requestPasswordReset)
    .mutation(async ({ ctx, input }) => {
      await authOf(ctx).requestPasswordReset(input, { ip: ctx.ip });
      return { requested: true as const };
    }),
  resetPassword: publicProcedure
    .input(authInput.resetPassword)
    .mutation(({ ctx, input }) => authOf(ctx).resetPassword(input, { ip: ctx.ip })),
  changePassword: authedProcedure.input(authInput.changePassword).mutation(({ ctx, input }) => {
    const auth = authOf(ctx);
    return auth.changePassword(ctx.session, tokenOf(ctx, auth), input, { ip: ctx.ip });
  }),
  // Mutations: each look at a link counts as an attempt (ACC-3), which a query should not do.
  staffInvitation: publicProcedure
    .input(authInput.staffInvitation)
    .mutation(({ ctx, input }) => authOf(ctx).previewStaffInvitation(input, { ip: ctx.ip })),
  acceptStaffInvitation: publicProcedure
    .input(authInput.acceptStaffInvitation)
    .mutation(({ ctx, input }) => authOf(ctx).acceptStaffInvitation(input, { ip: ctx.ip })),
} satisfies TRPCRouterRecord;
