import { isIP } from "node:net";
import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-node";

/**
 * Attributes that name a network address or port of either end of a connection. HIPAA counts a
 * client's IP address as an identifier, and behind a proxy the server's peer is a proxy whose
 * address says nothing useful either: none leaves the process in a span (OPS-4). The HTTP
 * instrumentation sets `client.address` (from X-Forwarded-For), `network.peer.*` and
 * `server.address`; the older names are listed for an instrumentation that still sets them.
 */
const addressKeys = new Set([
  "client.address",
  "client.port",
  "network.peer.address",
  "network.peer.port",
  "network.local.address",
  "network.local.port",
  "server.address",
  "server.port",
  "http.client_ip",
  "http.host",
  "net.peer.ip",
  "net.peer.name",
  "net.peer.port",
  "net.host.ip",
  "net.host.name",
  "net.host.port",
  "net.sock.peer.addr",
  "net.sock.peer.name",
  "net.sock.peer.port",
  "net.sock.host.addr",
  "net.sock.host.port",
]);

/** A span's attributes without addresses: the keys above, and any value that is an IP address. */
export function addressFreeAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (addressKeys.has(key)) continue;
    if (typeof value === "string" && isIP(value.replace(/^\[|\]$/g, "")) !== 0) continue;
    kept[key] = value;
  }
  return kept;
}

/** The span as read, with {@link addressFreeAttributes} (events' attributes too). */
function addressFree(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext ? { parentSpanContext: span.parentSpanContext } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: addressFreeAttributes(span.attributes),
    links: span.links,
    events: span.events.map((event) =>
      event.attributes ? { ...event, attributes: addressFreeAttributes(event.attributes) } : event,
    ),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** Wraps an exporter so that no span it sends carries a network address (see `addressKeys`). */
export function withoutAddresses(exporter: SpanExporter): SpanExporter {
  return {
    export: (spans, done) => exporter.export(spans.map(addressFree), done),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
