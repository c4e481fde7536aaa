import { conversationStandingsContract } from "../contract/conversationStandings.contract";
import { conversationStoreContract } from "../contract/conversationStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const { factory } = usePostgresUnitOfWork();
conversationStoreContract(factory);
conversationStandingsContract(factory);
