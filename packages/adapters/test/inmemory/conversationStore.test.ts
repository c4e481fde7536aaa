import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { conversationStoreContract } from "../contract/conversationStore.contract";

conversationStoreContract(() => new InMemoryUnitOfWork());
