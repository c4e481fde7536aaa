import { type Kysely, sql } from "kysely";

// SEC-2: the session check (auth_resolve_session, same signature, checks, answers and audit
// records as 0009's, planned as 0043 set it) reads a person's standing with one statement for each
// kind of person instead of one over both directories. Every check sets up and runs each of its
// statements anew, and a statement over the clinic and one directory has half the lookups to set
// up of one over the clinic and both, where one of the two could never match.

const resolve = `CREATE OR REPLACE FUNCTION auth_resolve_session(
    p_token_hash bytea,
    p_now timestamptz,
    p_touch boolean,
    p_max_touch_interval interval
  )
  RETURNS TABLE (clinic_id text, person_kind text, person_id text, staff_role text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off
  SET enable_bitmapscan = off
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

    -- One statement for each kind of person: each reads the clinic and the one directory the
    -- person is in, and nothing of the other.
    IF v_person_kind = 'staff' THEN
      SELECT pg_catalog.make_interval(mins => c.idle_timeout_minutes), st.active, st.role
        INTO v_idle, v_can_act, v_role
        FROM public.clinics c
        LEFT JOIN public.staff st ON st.clinic_id = c.id AND st.id = v_person_id
        WHERE c.id = v_clinic_id;
    ELSE
      SELECT pg_catalog.make_interval(mins => c.idle_timeout_minutes), p.portal_account = 'active', NULL
        INTO v_idle, v_can_act, v_role
        FROM public.clinics c
        LEFT JOIN public.patients p
          ON v_person_kind = 'patient' AND p.clinic_id = c.id AND p.id = v_person_id
        WHERE c.id = v_clinic_id;
    END IF;

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

/** The session check reading only the person's own directory (SEC-2). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(resolve).execute(db);
}
