import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPCClient } from "../../rpc/trpc";
import { BirthDate } from "../../ui/BirthDate";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { patientListKey } from "./patientListKey";
import { portalStateNames } from "./portalStates";

/**
 * The patient list by name. Pages come through `patients.list`, a mutation because its cursor is
 * a name in disguise and must not travel in a URL (SEC-5); they are cached like any read. A
 * patient under a legal hold (REC-4) is marked "On hold" beside the name.
 */
export function PatientListPage() {
  usePageTitle("Patients");
  const me = useSession();
  const client = useTRPCClient();
  const list = useInfiniteQuery({
    queryKey: patientListKey,
    queryFn: ({ pageParam }) => client.patients.list.mutate({ limit: 50, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="page">
      <h1 tabIndex={-1}>Patients</h1>
      <p className="page__actions">
        <Link to="/staff/patients/new" className="button button--primary">
          Add patient
        </Link>
        {me.role === "admin" ? (
          <Link to="/staff/patients/import" className="button">
            Import from CSV
          </Link>
        ) : null}
      </p>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorText>{errorMessage(list.error)}</ErrorText> : null}
      {list.data ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Patients of the clinic, by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Date of birth</th>
                <th scope="col">Patient Portal</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.person.id}>
                  <th scope="row">
                    <Link to="/staff/patients/$patientId" params={{ patientId: item.person.id }}>
                      {item.person.name}
                    </Link>
                    {item.legalHold ? (
                      <>
                        {" "}
                        <span className="pill pill--hold">On hold</span>
                      </>
                    ) : null}
                  </th>
                  <td>
                    <BirthDate dateOfBirth={item.person.dateOfBirth} />
                  </td>
                  <td>
                    <span className={`pill pill--${item.portalAccount}`}>
                      {portalStateNames[item.portalAccount]}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          Show more patients
        </button>
      ) : null}
    </div>
  );
}
