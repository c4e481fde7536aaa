import { integrationStoreContract } from "../contract/integrationStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

integrationStoreContract(usePostgresUnitOfWork().factory);
