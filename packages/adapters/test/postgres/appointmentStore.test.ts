import { appointmentStoreContract } from "../contract/appointmentStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

appointmentStoreContract(usePostgresUnitOfWork().factory);
