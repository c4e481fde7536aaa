import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProductMetrics } from "./metrics";

/** The metrics listener: `GET /metrics` only, on its own port, away from the public one. */
export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the Prometheus text format on a port of its own (OPS-4), so the load balancer never
 * exposes it: operators bind it to loopback or a private network (`METRICS_HOST`).
 */
export async function startMetricsServer(
  metrics: ProductMetrics,
  port: number,
  host: string,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
      return;
    }
    metrics.scrape().then(
      (body) => res.writeHead(200, { "Content-Type": metrics.registry.contentType }).end(body),
      () => res.writeHead(500, { "Content-Type": "text/plain" }).end("The metrics could not be read.\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
