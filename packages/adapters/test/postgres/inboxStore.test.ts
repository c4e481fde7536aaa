import { inboxStoreContract } from "../contract/inboxStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

inboxStoreContract(usePostgresUnitOfWork().factory);
