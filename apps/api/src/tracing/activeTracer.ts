import type { SpanStatusCode, Tracer } from "@opentelemetry/api";

/**
 * The tracer of this process while traces are exported (`startTracing`), else null: without an
 * OTLP endpoint nothing of OpenTelemetry is loaded and the procedures run without spans.
 */
let active: Tracer | null = null;

export function setActiveTracer(tracer: Tracer | null): void {
  active = tracer;
}

const errorStatus = 2 satisfies SpanStatusCode.ERROR;

/**
 * Runs one tRPC procedure inside its span, named by the router's procedure name (never its input),
 * as the child of the HTTP request's span and the parent of the use case's SQL statements.
 */
export async function inProcedureSpan<R extends { ok: boolean }>(
  path: string,
  type: string,
  run: () => Promise<R>,
): Promise<R> {
  const tracer = active;
  if (!tracer) return run();
  return tracer.startActiveSpan(
    `procedure ${path}`,
    { attributes: { "rpc.system": "trpc", "rpc.method": path, "clinic_chat.procedure.type": type } },
    async (span) => {
      try {
        const result = await run();
        if (!result.ok) span.setStatus({ code: errorStatus });
        return result;
      } catch (error) {
        span.setStatus({ code: errorStatus });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
