import postgres from "postgres";

/** The options postgres.js takes beside a URL. */
export type PostgresOptions = NonNullable<Parameters<typeof postgres>[1]>;

/**
 * Where a connection URL points. postgres.js reads host and port from the URL itself, but not
 * libpq's `host` query parameter, which psql, `pg` (pg-boss) and the embedded default use for a
 * Unix-socket directory: `postgres://user:pass@localhost:5432/db?host=/run/postgresql`. A
 * socket costs each round trip noticeably less CPU than loopback TCP, on both sides.
 */
export function postgresTarget(url: string): {
  readonly url: string;
  readonly path?: string;
  readonly host?: string;
} {
  const parsed = new URL(url);
  const host = parsed.searchParams.get("host");
  if (host === null) return { url };
  parsed.searchParams.delete("host");
  if (!host.startsWith("/")) return { url: parsed.toString(), host };
  return { url: parsed.toString(), path: `${host.replace(/\/+$/, "")}/.s.PGSQL.${parsed.port || "5432"}` };
}

/** A postgres.js pool for `url`, honouring a `host` query parameter (see {@link postgresTarget}). */
export function openPostgres(url: string, options: PostgresOptions = {}): postgres.Sql {
  const target = postgresTarget(url);
  return postgres(target.url, {
    ...options,
    ...(target.path ? { path: target.path } : {}),
    ...(target.host ? { host: target.host } : {}),
  });
}
