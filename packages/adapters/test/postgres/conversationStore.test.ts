import { conversationStoreContract } from "../contract/conversationStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

conversationStoreContract(usePostgresUnitOfWork().factory);
