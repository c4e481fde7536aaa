import { clinicStoreContract } from "../contract/clinicStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

clinicStoreContract(usePostgresUnitOfWork().factory);
