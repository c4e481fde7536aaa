import { notificationStoreContract } from "../contract/notificationStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

notificationStoreContract(usePostgresUnitOfWork().factory);
