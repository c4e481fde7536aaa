import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useTRPC } from "../../rpc/trpc";
import { usePageTitle } from "../../ui/usePageTitle";
import { detailsOf, emptyPatient, PatientForm } from "./PatientForm";

/** Patients › Add patient (ADMIN-3): any staff member registers a patient; the Patient File opens next. */
export function AddPatientPage() {
  usePageTitle("Add patient");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const add = useMutation(
    trpc.patients.add.mutationOptions({
      onSuccess: async ({ patientId }) => {
        await queryClient.invalidateQueries({ queryKey: ["staff", "patients"] });
        await navigate({ to: "/staff/patients/$patientId", params: { patientId } });
      },
    }),
  );
  return (
    <div className="page">
      <p>
        <Link to="/staff/patients">← Patients</Link>
      </p>
      <h1 tabIndex={-1}>Add patient</h1>
      <section className="card">
        <PatientForm
          initial={emptyPatient}
          submitLabel="Add patient"
          pending={add.isPending}
          error={add.error}
          onSubmit={(values) => add.mutate(detailsOf(values))}
        />
      </section>
    </div>
  );
}
