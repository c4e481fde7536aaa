import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { conversationStandingsContract } from "../contract/conversationStandings.contract";
import { conversationStoreContract } from "../contract/conversationStore.contract";

conversationStoreContract(() => new InMemoryUnitOfWork());
conversationStandingsContract(() => new InMemoryUnitOfWork());
