import { recordsStoreContract } from "../contract/recordsStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

recordsStoreContract(usePostgresUnitOfWork().factory);
