import type { Outputs } from "../../../rpc/types";
import { shortDateTime } from "../useTeam";
import { deliveryStatusNames, eventTypeNames } from "./useWebhooks";

type Endpoint = Outputs["webhooks"]["list"][number];

/** An endpoint's latest deliveries (INTEG-4): event id, type, status, attempts and time; never a body. */
export function DeliveryLog({ endpoint, labelId }: { endpoint: Endpoint; labelId: string }) {
  if (endpoint.deliveries.length === 0) {
    return <p className="hint">No events sent yet. Events appear here as conversations change.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table table--dense" aria-labelledby={labelId}>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last attempt</th>
          </tr>
        </thead>
        <tbody>
          {endpoint.deliveries.map((d) => (
            <tr key={d.eventId}>
              <th scope="row">
                <code title={d.eventId}>{d.eventId.slice(0, 8)}</code>
              </th>
              <td>{eventTypeNames[d.type] ?? d.type}</td>
              <td>
                {d.status === "pending" && d.attempts === 0 ? "Queued" : deliveryStatusNames[d.status]}
                {d.lastStatusCode !== null && d.status !== "delivered" ? ` (HTTP ${d.lastStatusCode})` : ""}
              </td>
              <td>{d.attempts}</td>
              <td>{d.lastAttemptAt ? shortDateTime(d.lastAttemptAt) : "Not yet"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
