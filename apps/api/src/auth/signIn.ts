import { canAct, findPerson, type PersonRef, type SignInCandidate } from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";
import { AuthError } from "./AuthError";
import { normaliseEmail } from "./emails";
import { openSession } from "./openSession";
import {
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeDigest,
  recoveryCodeOf,
  totpUri,
} from "./totp";

/** What the sign-in form sends. */
export interface SignInInput {
  /** The staff app or the Patient Portal: they are separate accounts even with one email. */
  readonly audience: "staff" | "patient";
  readonly email: string;
  readonly password: string;
  /** The TOTP code, or a recovery code, once the first step asked for it. */
  readonly code?: string | undefined;
  /** The clinic chosen when the same email and password open accounts in several. */
  readonly clinicId?: string | undefined;
}

/** Where a sign-in attempt got to. Only `signedIn` carries a token, which goes into the cookie. */
export type SignInOutcome =
  | { readonly status: "signedIn"; readonly token: string; readonly recoveryCodes: readonly string[] | null }
  | { readonly status: "codeRequired" }
  | { readonly status: "totpEnrolmentRequired"; readonly secret: string; readonly uri: string }
  | { readonly status: "chooseClinic"; readonly clinics: readonly { id: string; name: string }[] };

/** Where the request came from, for the audit trail and the per-address limit. */
export interface RequestMeta {
  readonly ip: string | null;
}

type Step =
  | { readonly kind: "done"; readonly outcome: SignInOutcome }
  | {
      readonly kind: "refused";
      readonly reason: string;
      readonly error: AuthError;
      readonly countsAsFailure: boolean;
    };

/**
 * SEC-1: email and password (argon2id), then for staff always, and for patients who turned it on,
 * a TOTP code or a single-use recovery code. Staff without TOTP are taken through enrolment first.
 * ACC-3: the attempt is counted before anything is checked and stays counted unless it proves
 * right; failures are audited in the clinic when the account is known; the answer never tells
 * whether the email exists, nor (ACC-4) whether an account that cannot sign in does.
 */
export async function signIn(deps: AuthDeps, input: SignInInput, meta: RequestMeta): Promise<SignInOutcome> {
  const email = normaliseEmail(input.email);
  const attempt = await deps.limiter.attempt(email, meta.ip);
  const all = await deps.store.signInCandidates(input.audience, email);
  const candidates = input.clinicId ? all.filter((c) => c.clinicId === input.clinicId) : all;
  const matches = await deps.passwords.matching(candidates, input.password);
  if (matches.length === 0) {
    for (const candidate of candidates) await auditFailure(deps, candidate, "PASSWORD", meta);
    throw new AuthError("SIGN_IN_FAILED");
  }
  let match = matches[0]!;
  if (matches.length > 1) {
    // ACC-4: only the clinics where the account may sign in are offered; one that cannot reads
    // like a wrong password there.
    const clinics = [];
    const usable = [];
    for (const candidate of matches) {
      const clinic = await deps.store.run(candidate.clinicId, async (s) => {
        const person = await findPerson(s, candidate.person);
        return person && canAct(person).allowed ? s.clinics.get(candidate.clinicId) : null;
      });
      if (clinic) {
        clinics.push({ id: clinic.id, name: clinic.name });
        usable.push(candidate);
      }
    }
    if (clinics.length > 1) {
      await attempt.succeeded();
      return { status: "chooseClinic", clinics: clinics.sort((a, b) => a.name.localeCompare(b.name)) };
    }
    match = usable[0] ?? match;
  }
  const step = await secondStep(deps, match, input.code?.trim() || null, meta);
  if (step.kind === "done") {
    await attempt.succeeded();
    return step.outcome;
  }
  if (!step.countsAsFailure) await attempt.succeeded();
  await auditFailure(deps, match, step.reason, meta);
  throw step.error;
}

const badCode: Step = {
  kind: "refused",
  reason: "CODE",
  error: new AuthError("CODE_INVALID"),
  countsAsFailure: true,
};

/** ACC-4: the answer of a wrong password, whatever the reason. */
const likeWrongPassword = (reason: string): Step => ({
  kind: "refused",
  reason,
  error: new AuthError("SIGN_IN_FAILED"),
  countsAsFailure: true,
});

/** After the password: the account's state, then TOTP enrolment or a code, then the session. */
async function secondStep(
  deps: AuthDeps,
  match: SignInCandidate,
  code: string | null,
  meta: RequestMeta,
): Promise<Step> {
  const now = deps.clock.now();
  const ref: PersonRef = match.person;
  return deps.store.run(match.clinicId, async (s): Promise<Step> => {
    const person = await findPerson(s, ref);
    const credentials = await s.credentials.get(ref);
    if (!person || !credentials) return likeWrongPassword("NOT_FOUND");
    const acting = canAct(person);
    if (!acting.allowed) {
      // ELIG-6: a deactivated staff member or a portal account that is not active cannot sign in.
      // ACC-4: they are told so only once password and second factor are both proven (by a TOTP
      // code: a recovery code is not spent on an account that cannot use it).
      const step =
        credentials.totpEnabled && code ? matchTotp(credentials.totpSecret ?? "", code, now) : null;
      if (step !== null && (await s.credentials.acceptTotpStep(ref, step)))
        return {
          kind: "refused",
          reason: acting.reason,
          error: new AuthError("ACCOUNT_UNAVAILABLE"),
          countsAsFailure: false,
        };
      return likeWrongPassword(acting.reason);
    }
    let recoveryCodes: string[] | null = null;
    if (person.kind === "staff" && !credentials.totpEnabled) {
      // Staff must have a second factor: enrol now. ACC-4: a pending enrolment is kept until it is
      // confirmed or runs out; meanwhile another sign-in is asked for the code, and sees no secret.
      const pendingSince = new Date(now.getTime() - deps.settings.totpEnrolmentLifetimeMs);
      const pending =
        credentials.totpSecret && credentials.totpStartedAt && credentials.totpStartedAt > pendingSince
          ? credentials.totpSecret
          : null;
      if (!pending) {
        const secret = newTotpSecret();
        if (!(await s.credentials.startTotp(ref, secret, now, pendingSince)))
          return { kind: "done", outcome: { status: "codeRequired" } };
        const clinic = await s.clinics.get(match.clinicId);
        const issuer = clinic ? `${deps.settings.totpIssuer} (${clinic.name})` : deps.settings.totpIssuer;
        return {
          kind: "done",
          outcome: {
            status: "totpEnrolmentRequired",
            secret,
            uri: totpUri(secret, issuer, credentials.loginEmail),
          },
        };
      }
      if (!code) return { kind: "done", outcome: { status: "codeRequired" } };
      const step = matchTotp(pending, code, now);
      recoveryCodes = newRecoveryCodes();
      if (
        step === null ||
        !(await s.credentials.enableTotp(ref, pending, step, recoveryCodes.map(recoveryCodeDigest)))
      )
        return badCode;
      await s.audit.append({
        clinicId: match.clinicId,
        actor: ref,
        action: "auth.totp_enrol",
        at: now,
        ip: meta.ip,
        outcome: "success",
      });
    } else if (credentials.totpEnabled) {
      if (!code) return { kind: "done", outcome: { status: "codeRequired" } };
      const recovery = recoveryCodeOf(code);
      const step = recovery ? null : matchTotp(credentials.totpSecret ?? "", code, now);
      const accepted = recovery
        ? await s.credentials.useRecoveryCode(ref, recoveryCodeDigest(recovery))
        : step !== null && (await s.credentials.acceptTotpStep(ref, step));
      if (!accepted) return badCode;
    }
    const token = await openSession(deps, s, match.clinicId, ref, now, meta.ip);
    return { kind: "done", outcome: { status: "signedIn", token, recoveryCodes } };
  });
}

/** SEC-3: a failed sign-in for a known account, in its clinic; never the password or the code. */
async function auditFailure(deps: AuthDeps, candidate: SignInCandidate, reason: string, meta: RequestMeta) {
  await deps.store.run(candidate.clinicId, (s) =>
    s.audit.append({
      clinicId: candidate.clinicId,
      actor: null,
      subject: candidate.person,
      action: "auth.sign_in_failed",
      reason,
      at: deps.clock.now(),
      ip: meta.ip,
      outcome: "denied",
    }),
  );
}
