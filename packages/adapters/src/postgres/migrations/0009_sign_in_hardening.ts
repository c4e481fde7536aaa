import { type Kysely, sql } from "kysely";

// Sign-in hardening (ACC-4, SEC-3). Frozen in time like every migration.
//
// ACC-4: a staff member's TOTP enrolment is pending from totp_started_at until it is confirmed or
// its time runs out; until then another sign-in cannot replace the secret. Secrets pending from
// before this column existed have no start and count as run out.
//
// SEC-3: every end of a session leaves one audit record. The request's session check
// (auth_resolve_session, same signature, checks and answers as 0008's) now writes it with the
// end it finds, in the same statement:
//
//   idle for the clinic's timeout         → revoked at p_now (as before), and `session.expired`,
//                                           reason `idle`, at the moment the timeout ran out
//   person missing, deactivated staff,    → revoked at p_now (as before), and `session.ended`,
//   portal account not active               reason `account_unavailable`
//   past its 12-hour expiry               → left unrevoked (as before), marked expiry_audited,
//                                           and `session.expired`, reason `absolute`, at the expiry
//                                           (reason `idle`, at the moment the timeout ran out,
//                                           when it had gone idle before with nobody asking)
//
// Exactly once however many checks run at once: the record is written only by the one statement
// whose UPDATE changes the row (revoked_at IS NULL, or NOT expiry_audited, is re-checked under the
// row's lock, so a concurrent check that lost the race changes nothing and writes nothing). The
// records carry the session's person as actor and no request address (the check that finds an
// end is not the person acting), and never anything else of the session (no token digest).

const columns = [
  `ALTER TABLE auth_credentials ADD COLUMN totp_started_at timestamptz`,
  `ALTER TABLE auth_sessions ADD COLUMN expiry_audited boolean NOT NULL DEFAULT false`,
];

const resolve = `CREATE OR REPLACE FUNCTION auth_resolve_session(
    p_token_hash bytea,
    p_now timestamptz,
    p_touch boolean,
    p_max_touch_interval interval
  )
  RETURNS TABLE (clinic_id text, person_kind text, person_id text, staff_role text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
  DECLARE
    v_clinic_id text;
    v_person_kind text;
    v_person_id text;
    v_last_seen_at timestamptz;
    v_expires_at timestamptz;
    v_expiry_audited boolean;
    v_idle interval;
    v_can_act boolean;
    v_role text;
    v_caller_clinic text := pg_catalog.current_setting('app.clinic_id', true);
    v_set text;
    v_action text;
    v_reason text;
    v_ended_at timestamptz;
  BEGIN
    SELECT s.clinic_id, s.person_kind, s.person_id, s.last_seen_at, s.expires_at, s.expiry_audited
      INTO v_clinic_id, v_person_kind, v_person_id, v_last_seen_at, v_expires_at, v_expiry_audited
      FROM public.auth_sessions s
      WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL;
    IF NOT FOUND OR (p_now >= v_expires_at AND v_expiry_audited) THEN
      RETURN;
    END IF;

    v_set := pg_catalog.set_config('app.clinic_id', v_clinic_id, true);

    IF p_now >= v_expires_at THEN
      UPDATE public.auth_sessions s SET expiry_audited = true
        WHERE s.clinic_id = v_clinic_id AND s.token_hash = p_token_hash
          AND s.revoked_at IS NULL AND NOT s.expiry_audited;
      IF FOUND THEN
        -- Left idle before its expiry with nobody asking, it ended by the idle timeout.
        SELECT pg_catalog.make_interval(mins => c.idle_timeout_minutes) INTO v_idle
          FROM public.clinics c WHERE c.id = v_clinic_id;
        IF v_idle IS NOT NULL AND v_last_seen_at + v_idle < v_expires_at THEN
          v_reason := 'idle';
          v_ended_at := v_last_seen_at + v_idle;
        ELSE
          v_reason := 'absolute';
          v_ended_at := v_expires_at;
        END IF;
        INSERT INTO public.audit_log (clinic_id, actor_kind, actor_id, action, reason, at, outcome)
          VALUES (v_clinic_id, v_person_kind, v_person_id, 'session.expired', v_reason, v_ended_at, 'success');
      END IF;
      v_set := pg_catalog.set_config('app.clinic_id', COALESCE(v_caller_clinic, ''), true);
      RETURN;
    END IF;

    SELECT pg_catalog.make_interval(mins => c.idle_timeout_minutes),
           CASE WHEN v_person_kind = 'staff' THEN st.active ELSE p.portal_account = 'active' END,
           CASE WHEN v_person_kind = 'staff' THEN st.role END
      INTO v_idle, v_can_act, v_role
      FROM public.clinics c
      LEFT JOIN public.staff st
        ON v_person_kind = 'staff' AND st.clinic_id = c.id AND st.id = v_person_id
      LEFT JOIN public.patients p
        ON v_person_kind = 'patient' AND p.clinic_id = c.id AND p.id = v_person_id
      WHERE c.id = v_clinic_id;

    IF v_idle IS NULL OR p_now - v_last_seen_at >= v_idle OR v_can_act IS NOT TRUE THEN
      UPDATE public.auth_sessions s SET revoked_at = p_now
        WHERE s.clinic_id = v_clinic_id AND s.token_hash = p_token_hash AND s.revoked_at IS NULL;
      IF FOUND THEN
        IF v_idle IS NOT NULL AND p_now - v_last_seen_at >= v_idle THEN
          v_action := 'session.expired';
          v_reason := 'idle';
          v_ended_at := v_last_seen_at + v_idle;
        ELSE
          v_action := 'session.ended';
          v_reason := 'account_unavailable';
          v_ended_at := p_now;
        END IF;
        INSERT INTO public.audit_log (clinic_id, actor_kind, actor_id, action, reason, at, outcome)
          VALUES (v_clinic_id, v_person_kind, v_person_id, v_action, v_reason, v_ended_at, 'success');
      END IF;
      v_set := pg_catalog.set_config('app.clinic_id', COALESCE(v_caller_clinic, ''), true);
      RETURN;
    END IF;

    IF p_touch AND p_now - v_last_seen_at >= LEAST(p_max_touch_interval, v_idle / 10) THEN
      UPDATE public.auth_sessions s SET last_seen_at = p_now
        WHERE s.clinic_id = v_clinic_id AND s.token_hash = p_token_hash AND s.last_seen_at < p_now;
    END IF;
    v_set := pg_catalog.set_config('app.clinic_id', COALESCE(v_caller_clinic, ''), true);

    clinic_id := v_clinic_id;
    person_kind := v_person_kind;
    person_id := v_person_id;
    staff_role := v_role;
    RETURN NEXT;
  END
  $$`;

/** A pending TOTP enrolment's start (ACC-4), and the session check that audits every end it finds (SEC-3). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [...columns, resolve]) await sql.raw(statement).execute(db);
}
