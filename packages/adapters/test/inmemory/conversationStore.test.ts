import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { conversationStoreContract } from "../contract/conversationStore.contract";

conversationStoreContract(() => new InMemoryUnitOfWork());
