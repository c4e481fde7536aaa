import { type Kysely, sql } from "kysely";

// A request's session cookie in one statement: the look-up by digest (as 0002's
// auth_session_by_token_hash), the clinic's idle timeout, the person's standing (ELIG-6) and the
// session's end or slide, in this order and with these outcomes, in one call:
//
//   unknown or revoked token             → no row
//   past its 12-hour expiry              → no row (the session is left as it is)
//   idle for the clinic's timeout or     → the session is revoked at p_now, no row (ended for
//   longer; person missing, deactivated     good: a later reactivation or a clock going back does
//   staff, portal account not active        not revive it) (SEC-2, ELIG-6)
//   otherwise                            → one row: clinic, person, staff role (null for patients);
//                                           when p_touch and idle for at least
//                                           least(p_max_touch_interval, timeout / 10),
//                                           last_seen_at slides to p_now
//
// SECURITY DEFINER: it runs as the owner, like 0002's look-ups, with the search path pinned and
// EXECUTE granted to the application role only (preparePostgres). It reads across clinics only to
// find the one session whose token digest the caller holds; from then on it binds itself to that
// session's clinic (app.clinic_id, the setting every tenant policy reads), so the clinic, person
// and session statements after it see that clinic only, under the owner's forced RLS as well when
// the owner is not a superuser. The function puts the caller's setting back before it returns, so
// a caller's own transaction keeps its clinic (a SET clause on the function would scope it more
// neatly, but PostgreSQL lets only a superuser attach a custom setting to a function, and a
// managed database's owner is not one). If it fails, the statement fails and its transaction
// with it, setting and all. It returns ids and a role: no name, no email, no token, nothing of
// any other row.

const resolve = `CREATE FUNCTION auth_resolve_session(
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
  BEGIN
    SELECT s.clinic_id, s.person_kind, s.person_id, s.last_seen_at, s.expires_at
      INTO v_clinic_id, v_person_kind, v_person_id, v_last_seen_at, v_expires_at
      FROM public.auth_sessions s
      WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL;
    IF NOT FOUND OR p_now >= v_expires_at THEN
      RETURN;
    END IF;

    PERFORM pg_catalog.set_config('app.clinic_id', v_clinic_id, true);

    SELECT pg_catalog.make_interval(mins => c.idle_timeout_minutes) INTO v_idle
      FROM public.clinics c WHERE c.id = v_clinic_id;
    IF v_person_kind = 'staff' THEN
      SELECT st.active, st.role INTO v_can_act, v_role
        FROM public.staff st WHERE st.clinic_id = v_clinic_id AND st.id = v_person_id;
    ELSE
      SELECT p.portal_account = 'active' INTO v_can_act
        FROM public.patients p WHERE p.clinic_id = v_clinic_id AND p.id = v_person_id;
    END IF;

    IF v_idle IS NULL OR p_now - v_last_seen_at >= v_idle OR v_can_act IS NOT TRUE THEN
      UPDATE public.auth_sessions s SET revoked_at = p_now
        WHERE s.clinic_id = v_clinic_id AND s.token_hash = p_token_hash AND s.revoked_at IS NULL;
      PERFORM pg_catalog.set_config('app.clinic_id', COALESCE(v_caller_clinic, ''), true);
      RETURN;
    END IF;

    IF p_touch AND p_now - v_last_seen_at >= LEAST(p_max_touch_interval, v_idle / 10) THEN
      UPDATE public.auth_sessions s SET last_seen_at = p_now
        WHERE s.clinic_id = v_clinic_id AND s.token_hash = p_token_hash AND s.last_seen_at < p_now;
    END IF;
    PERFORM pg_catalog.set_config('app.clinic_id', COALESCE(v_caller_clinic, ''), true);

    clinic_id := v_clinic_id;
    person_kind := v_person_kind;
    person_id := v_person_id;
    staff_role := v_role;
    RETURN NEXT;
  END
  $$`;

/** The one-statement session check of every request (SEC-2, ELIG-6). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(resolve).execute(db);
  await sql
    .raw("REVOKE ALL ON FUNCTION auth_resolve_session(bytea, timestamptz, boolean, interval) FROM PUBLIC")
    .execute(db);
}
