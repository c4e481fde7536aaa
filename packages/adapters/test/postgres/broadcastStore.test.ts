import { broadcastStoreContract } from "../contract/broadcastStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

broadcastStoreContract(usePostgresUnitOfWork().factory);
