import { fileStoreContract } from "../contract/fileStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

fileStoreContract(usePostgresUnitOfWork().factory);
