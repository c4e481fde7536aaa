import { createRequire } from "node:module";
import type { ConnectOptions } from "@clinic-chat/adapters";
import { setActiveTracer } from "./activeTracer";
import { requestUrlAttributes, statementName, statementShape } from "./spanShapes";
import { withoutAddresses } from "./withoutAddresses";

/** Traces being exported: the SQL hook for the database pool, and how to flush and stop. */
export interface Tracing {
  /** For `connectPostgres(…, { trace })`: one span per statement, child of the active span. */
  readonly statement: (statement: TracedStatement) => void;
  /** Sends the spans ended so far. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

type TracedStatement = Parameters<NonNullable<ConnectOptions["trace"]>>[0];

let running: Tracing | null = null;

/** The tracing started in this process, if any. */
export function activeTracing(): Tracing | null {
  return running;
}

const clientKind = 2; // SpanKind.CLIENT
const errorStatus = 2; // SpanStatusCode.ERROR

/**
 * Starts exporting traces over OTLP/HTTP (JSON) to `endpoint` (OTEL_EXPORTER_OTLP_ENDPOINT; the
 * spans go to `<endpoint>/v1/traces`): a span per HTTP request, per tRPC procedure and per SQL
 * statement, in that parent chain (OPS-4). The packages are loaded here only, so a process without
 * an endpoint loads none of them. Spans carry routes, procedure names and statement shapes,
 * never a path or query value, an input, a statement's parameters, or a network address.
 */
export async function startTracing(endpoint: string, serviceName = "clinic-chat-api"): Promise<Tracing> {
  if (running) return running;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, otel, resources, instr, http] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/api"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/instrumentation"),
      import("@opentelemetry/instrumentation-http"),
    ]);
  // No client address leaves in a span (HIPAA counts IP addresses as identifiers).
  const exporter = withoutAddresses(
    new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` }),
  );
  const provider = new NodeTracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 })],
  });
  provider.register();
  const unregister = instr.registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new http.HttpInstrumentation({
        // Calls out (storage, webhooks) carry signed URLs and object keys: not traced.
        disableOutgoingRequestInstrumentation: true,
        startIncomingSpanHook: (request) => requestUrlAttributes(request.url),
        // The headers are the caller's: none is recorded.
        headersToSpanAttributes: { server: { requestHeaders: [], responseHeaders: [] } },
      }),
    ],
  });
  // The module hook patches `http` when it is required: the server's ESM import shares its classes.
  createRequire(import.meta.url)("node:http");
  const tracer = provider.getTracer("clinic-chat");
  setActiveTracer(tracer);
  const tracing: Tracing = {
    statement({ sql, answered }) {
      const span = tracer.startSpan(statementName(sql), {
        kind: clientKind,
        attributes: { "db.system.name": "postgresql", "db.query.text": statementShape(sql) },
      });
      void answered.then((ok) => {
        if (!ok) span.setStatus({ code: errorStatus });
        span.end();
      });
    },
    flush: () => provider.forceFlush(),
    async shutdown() {
      setActiveTracer(null);
      running = null;
      unregister();
      await provider.shutdown();
      otel.trace.disable();
      otel.context.disable();
      otel.propagation.disable();
    },
  };
  running = tracing;
  return tracing;
}
