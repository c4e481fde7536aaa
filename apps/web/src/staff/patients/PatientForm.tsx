import { type ChangeEvent, useId, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { ErrorText } from "../../ui/Feedback";
import { fieldNames, fieldProblemOf, problemSentence } from "./patientWords";

/** A patient's details as the form holds them (ADMIN-3). */
export interface PatientFormValues {
  name: string;
  dateOfBirth: string;
  email: string;
  mobilePhone: string;
  smsConsent: boolean;
  hostId: string;
}

export const emptyPatient: PatientFormValues = {
  name: "",
  dateOfBirth: "",
  email: "",
  mobilePhone: "",
  smsConsent: false,
  hostId: "",
};

/** The values as the API takes them: blanks as null. */
export function detailsOf(values: PatientFormValues) {
  const orNull = (value: string) => (value.trim() === "" ? null : value);
  return {
    name: values.name,
    dateOfBirth: values.dateOfBirth,
    email: orNull(values.email),
    mobilePhone: orNull(values.mobilePhone),
    smsConsent: values.smsConsent,
    hostId: orNull(values.hostId),
  };
}

/**
 * Add or edit a patient. The server decides what is valid (ADMIN-3); a refused field is marked
 * and its sentence shown beside it.
 */
export function PatientForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: PatientFormValues;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: PatientFormValues) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const refused = fieldProblemOf(error);
  const set = (field: keyof PatientFormValues) => (event: ChangeEvent<HTMLInputElement>) =>
    setValues({ ...values, [field]: field === "smsConsent" ? event.target.checked : event.target.value });
  const text = (field: Exclude<keyof PatientFormValues, "smsConsent">, type: string, hint?: string) => {
    const invalid = refused?.field === field;
    return (
      <div className="field">
        <label htmlFor={`${id}-${field}`}>{fieldNames[field]}</label>
        {hint ? (
          <span className="hint" id={`${id}-${field}-hint`}>
            {hint}
          </span>
        ) : null}
        <input
          id={`${id}-${field}`}
          type={type}
          value={values[field]}
          onChange={set(field)}
          aria-invalid={invalid || undefined}
          aria-describedby={
            [hint ? `${id}-${field}-hint` : "", invalid ? `${id}-error` : ""].filter(Boolean).join(" ") ||
            undefined
          }
        />
      </div>
    );
  };
  return (
    <form
      className="form patient-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(values);
      }}
    >
      {text("name", "text")}
      {text("dateOfBirth", "date", "For example 1984-03-12.")}
      {text("email", "email")}
      {text("mobilePhone", "tel", "International form, like +44 7700 900123.")}
      <label className="choice">
        <input type="checkbox" checked={values.smsConsent} onChange={set("smsConsent")} />
        Agreed to receive SMS
      </label>
      {text("hostId", "text", "The patient's id in your practice system; imports update by it.")}
      <ErrorText id={`${id}-error`}>
        {error ? (refused ? problemSentence(refused.field, refused.problem) : errorMessage(error)) : null}
      </ErrorText>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
