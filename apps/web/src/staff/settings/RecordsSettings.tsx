import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText, Loading, StatusText } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";

type Unit = "days" | "months" | "years";

/** REC-3's bounds, as the domain keeps them: a typo cannot empty the clinic overnight. */
const bounds: Readonly<Record<Unit, { min: number; max: number }>> = {
  days: { min: 30, max: 36_500 },
  months: { min: 1, max: 1_200 },
  years: { min: 1, max: 100 },
};

/**
 * Clinic Settings › Records (REC-3): how long the clinic keeps messages. Older messages and files
 * are deleted every night as a person deleting them would (DEL-2, DEL-3), except those of patients
 * under a legal hold (REC-4). Admins change it; others only see it.
 */
export function RecordsSettings() {
  usePageTitle("Records settings");
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useSession();
  const isAdmin = me.role === "admin";
  const setting = useQuery({ ...trpc.records.retention.queryOptions(), enabled: isAdmin });
  const [keep, setKeep] = useState<"forever" | "period">("forever");
  const [amount, setAmount] = useState("7");
  const [unit, setUnit] = useState<Unit>("years");
  useEffect(() => {
    const period = setting.data?.period;
    setKeep(period ? "period" : "forever");
    if (period) {
      setAmount(String(period.amount));
      setUnit(period.unit);
    }
  }, [setting.data]);
  const save = useMutation(
    trpc.records.setRetention.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.records.retention.queryKey(), data),
    }),
  );
  const value = Number(amount);
  const valid =
    keep === "forever" || (Number.isInteger(value) && value >= bounds[unit].min && value <= bounds[unit].max);
  return (
    <div className="page">
      <h1 tabIndex={-1}>Records</h1>
      <p className="page__lede">Clinic Settings › Records</p>
      {!isAdmin ? (
        <p className="hint">Only a clinic admin can see and change how long messages are kept.</p>
      ) : null}
      {isAdmin && setting.isPending ? <Loading /> : null}
      {setting.isError ? <ErrorText>{errorMessage(setting.error)}</ErrorText> : null}
      {setting.data ? (
        <section className="card" aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`}>Retention period</h2>
          <form
            className="form"
            onSubmit={(event) => {
              event.preventDefault();
              if (!valid) return;
              save.mutate({ period: keep === "forever" ? null : { amount: value, unit } });
            }}
          >
            <fieldset className="field">
              <legend>Keep messages and files</legend>
              <label className="choice">
                <input
                  type="radio"
                  name={`${id}-keep`}
                  checked={keep === "forever"}
                  onChange={() => setKeep("forever")}
                />
                Until someone deletes them (no retention period)
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name={`${id}-keep`}
                  checked={keep === "period"}
                  onChange={() => setKeep("period")}
                />
                For a set time, then delete them
              </label>
            </fieldset>
            {keep === "period" ? (
              <div className="field retention__period">
                <label htmlFor={`${id}-amount`}>Delete messages older than</label>
                <div className="retention__inputs">
                  <input
                    id={`${id}-amount`}
                    type="number"
                    inputMode="numeric"
                    min={bounds[unit].min}
                    max={bounds[unit].max}
                    step={1}
                    value={amount}
                    aria-describedby={`${id}-hint`}
                    aria-invalid={valid ? undefined : true}
                    onChange={(event) => setAmount(event.currentTarget.value)}
                  />
                  <select
                    aria-label="Unit"
                    value={unit}
                    onChange={(event) => setUnit(event.currentTarget.value as Unit)}
                  >
                    <option value="days">days</option>
                    <option value="months">months</option>
                    <option value="years">years</option>
                  </select>
                </div>
                <span id={`${id}-hint`} className="hint">
                  Between {bounds[unit].min} and {bounds[unit].max.toLocaleString("en-US")} {unit}. Every
                  night, older messages and files are deleted for good, as if someone had deleted them;
                  patients under a legal hold keep everything.
                </span>
              </div>
            ) : null}
            <div className="form__actions">
              <button type="submit" className="button button--primary" disabled={save.isPending || !valid}>
                Save
              </button>
            </div>
            {save.isSuccess ? <StatusText>Saved.</StatusText> : null}
            <ErrorText>{save.isError ? errorMessage(save.error) : null}</ErrorText>
          </form>
          {setting.data.setBy ? (
            <p className="hint">Set by {setting.data.setBy.name || "a former admin"}.</p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
