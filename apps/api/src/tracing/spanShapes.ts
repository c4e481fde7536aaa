import { loggableProcedures } from "../http/trpcRoute";

/**
 * What a trace may say about one SQL statement: its text with every literal string replaced, so
 * only its shape remains. The statements are parameterized, their values are never in the text;
 * a literal written into one (a constant, or a value someone inlined) is blanked all the same
 * (OPS-4, SEC-5).
 */
export function statementShape(sql: string): string {
  const shape = sql
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$/g, "'?'")
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\s+/g, " ")
    .trim();
  return shape.length > 2_000 ? `${shape.slice(0, 2_000)}…` : shape;
}

/** The statement's kind as a span's name: its first keyword (`select`, `insert`, `begin`…). */
export function statementName(sql: string): string {
  const keyword = /^\s*\(?\s*([A-Za-z]+)/.exec(sql)?.[1]?.toLowerCase();
  return keyword ? `db ${keyword}` : "db statement";
}

/**
 * The URL attributes of an incoming request's span: the route, never what a caller put in the
 * path or the query (a patient's name typed into a URL, a query's input): tRPC's path only when
 * every name in it is one of the router's procedures, and the query's parameter names (tRPC's
 * own; any other as `other`) without their values (OPS-4).
 */
export function requestUrlAttributes(rawUrl: string | undefined): Record<string, string> {
  let url: URL;
  try {
    url = new URL(rawUrl ?? "/", "http://localhost");
  } catch {
    return { "url.path": "/…" };
  }
  const attributes: Record<string, string> = { "url.path": routeOf(url.pathname) };
  const names = [...new Set(url.searchParams.keys())].map((name) => (queryNames.has(name) ? name : "other"));
  if (url.search) attributes["url.query"] = [...new Set(names)].map((name) => `${name}=REDACTED`).join("&");
  return attributes;
}

/** The query parameters tRPC's links send; a caller may invent any other, so those are not named. */
const queryNames = new Set(["input", "batch", "lastEventId", "connectionParams"]);

function routeOf(pathname: string): string {
  if (pathname === "/health" || pathname === "/ready") return pathname;
  if (pathname.startsWith("/trpc/")) {
    const procedures = loggableProcedures(pathname.slice("/trpc/".length).replace(/\/$/, ""));
    return procedures ? `/trpc/${procedures}` : "/trpc/…";
  }
  if (pathname.startsWith("/fhir/")) return "/fhir/…";
  return "/…";
}
