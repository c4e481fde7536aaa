import { messageStoreContract } from "../contract/messageStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

messageStoreContract(usePostgresUnitOfWork().factory);
