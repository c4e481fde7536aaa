import {
  type AttemptKey,
  canAct,
  findPerson,
  type PersonRef,
  type SignInCandidate,
} from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";
import { AuthError } from "./AuthError";
import { normaliseEmail } from "./emails";
import { passwordResetEmail } from "./passwordResetEmail";
import { checkNewPassword } from "./passwords";
import { withReturnPath } from "./returnPath";
import { newToken, sha256, tokenShape } from "./secrets";
import { endSessionsOf } from "./sessionEnds";
import type { RequestMeta } from "./signIn";

/**
 * ACC-1: reset requests per email and per address in the window. Few per email, since each sends
 * an email; more per address, for a clinic's staff behind one NAT. The window is sign-in's, so the
 * attempt table forgets them on the same schedule.
 */
export const passwordResetLimits = { windowMinutes: 15, perEmail: 3, perIp: 10 } as const;

/** Which sign-in page a reset is for: the staff app's or the Patient Portal's. */
export type ResetAudience = "staff" | "patient";

const kindOf = (audience: ResetAudience): PersonRef["kind"] => (audience === "staff" ? "staff" : "patient");

/**
 * `auth.requestPasswordReset` (ACC-1): the same answer, after the same work, whether the email
 * belongs to an account or not. The request is counted first (ACC-3) and the accounts are looked
 * up; then the answer goes back, and storing the link and sending the email happen after it, so
 * neither the answer nor its time tells whether an account exists. `delivered` settles once that
 * is done (the router does not wait for it; tests may).
 */
export async function requestPasswordReset(
  deps: AuthDeps,
  input: { readonly audience: ResetAudience; readonly email: string; readonly next?: string | undefined },
  meta: RequestMeta,
): Promise<{ delivered: Promise<void> }> {
  const email = normaliseEmail(input.email);
  const now = deps.clock.now();
  const windowMs = passwordResetLimits.windowMinutes * 60_000;
  const keys: AttemptKey[] = [
    { key: sha256(`reset-email:${email}`), limit: passwordResetLimits.perEmail },
    ...(meta.ip ? [{ key: sha256(`reset-ip:${meta.ip}`), limit: passwordResetLimits.perIp }] : []),
  ];
  const counted = await deps.store.countAttempt(keys, now, new Date(now.getTime() - windowMs));
  if (!counted.counted) {
    const freeAt = counted.oldestCounted.getTime() + windowMs;
    throw new AuthError("TOO_MANY_ATTEMPTS", {
      retryAfterMinutes: Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000)),
    });
  }
  const candidates = await deps.store.signInCandidates(kindOf(input.audience), email);
  // A failed send leaves the person where an unknown address leaves them: they may ask again.
  const delivered = sendResetLinks(deps, candidates, email, input, now, meta).catch(() => undefined);
  return { delivered };
}

/**
 * One link per account the email signs in to (one per clinic), each in its clinic's name. The
 * link carries the page the person was going to (a path the router checked with isReturnPath),
 * so that signing in after the reset opens it.
 */
async function sendResetLinks(
  deps: AuthDeps,
  candidates: readonly SignInCandidate[],
  email: string,
  { audience, next }: { readonly audience: ResetAudience; readonly next?: string | undefined },
  now: Date,
  meta: RequestMeta,
): Promise<void> {
  const appUrl = (audience === "staff" ? deps.settings.staffUrl : deps.settings.portalUrl).replace(/\/$/, "");
  const page = withReturnPath(`${appUrl}/reset-password`, next);
  const minutes = Math.round(deps.settings.passwordResetLifetimeMs / 60_000);
  for (const candidate of candidates) {
    const token = newToken();
    await deps.store.run(candidate.clinicId, async (s) => {
      const person = await findPerson(s, candidate.person);
      const clinic = await s.clinics.get(candidate.clinicId);
      // ACC-4: an account that cannot act gets no link; the requester hears the same either way.
      if (!person || !clinic || !canAct(person).allowed) return;
      await s.passwordResets.create({
        tokenHash: sha256(token),
        person: candidate.person,
        createdAt: now,
        expiresAt: new Date(now.getTime() + deps.settings.passwordResetLifetimeMs),
      });
      await s.audit.append({
        clinicId: candidate.clinicId,
        actor: candidate.person,
        action: "auth.password_reset_request",
        at: now,
        ip: meta.ip,
        outcome: "success",
      });
      // Sent before the transaction commits: a link that could not be sent is not stored.
      await deps.mailer.send(passwordResetEmail(email, clinic.name, `${page}#${token}`, minutes));
    });
  }
}

/**
 * `auth.resetPassword` (ACC-1): the link's holder chooses a new password (12 to 128 characters).
 * The link works once and for 30 minutes; every session of the account ends; nobody is signed in,
 * so staff still prove their second factor at the next sign-in. ACC-3: the attempt is counted
 * against the address's limit before the token is looked at, and stays counted when it is wrong.
 */
export async function resetPassword(
  deps: AuthDeps,
  input: { readonly token: string; readonly password: string },
  meta: RequestMeta,
): Promise<{ audience: ResetAudience }> {
  checkNewPassword(input.password);
  const attempt = await deps.limiter.attempt(null, meta.ip);
  const tokenHash = tokenShape.test(input.token) ? sha256(input.token) : null;
  const reset = tokenHash ? await deps.store.passwordResetByTokenHash(tokenHash) : null;
  const now = deps.clock.now();
  if (!tokenHash || !reset || reset.expiresAt.getTime() <= now.getTime())
    throw new AuthError("RESET_LINK_INVALID");
  // Hashing takes tens of milliseconds: done before the transaction, not inside it.
  const passwordHash = await deps.passwords.hash(input.password);
  const done = await deps.store.run(reset.clinicId, async (s) => {
    if (!(await s.passwordResets.use(tokenHash, now))) return false;
    const credentials = await s.credentials.get(reset.person);
    if (!credentials) return false;
    await s.credentials.setPassword(reset.person, credentials.loginEmail, passwordHash, now);
    await endSessionsOf(s, reset.clinicId, reset.person, now, meta.ip, "password_reset");
    await s.audit.append({
      clinicId: reset.clinicId,
      actor: reset.person,
      action: "auth.password_reset",
      subject: reset.person,
      at: now,
      ip: meta.ip,
      outcome: "success",
    });
    return true;
  });
  if (!done) throw new AuthError("RESET_LINK_INVALID");
  await attempt.succeeded();
  return { audience: reset.person.kind === "staff" ? "staff" : "patient" };
}
