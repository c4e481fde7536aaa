import { type Kysely, sql } from "kysely";

// The same session check as 0006's auth_resolve_session (same signature, checks in the same
// order, same outcomes, same rows written) in as few inner statements as it can: each statement a
// plpgsql function runs through SPI costs an executor start and finish, on every request. The
// session; the clinic and the person in one read (after the clinic is set, so the owner's forced
// RLS applies); and the two set_config calls as plain assignments, which plpgsql evaluates without
// the executor. Frozen in time like every migration. (0006's header says what the function does
// and why it is SECURITY DEFINER.)

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
    v_idle interval;
    v_can_act boolean;
    v_role text;
    v_caller_clinic text := pg_catalog.current_setting('app.clinic_id', true);
    v_set text;
  BEGIN
    SELECT s.clinic_id, s.person_kind, s.person_id, s.last_seen_at, s.expires_at
      INTO v_clinic_id, v_person_kind, v_person_id, v_last_seen_at, v_expires_at
      FROM public.auth_sessions s
      WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL;
    IF NOT FOUND OR p_now >= v_expires_at THEN
      RETURN;
    END IF;

    v_set := pg_catalog.set_config('app.clinic_id', v_clinic_id, true);

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

/** The one-statement session check of every request (SEC-2, ELIG-6), in fewer inner statements. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(resolve).execute(db);
}
