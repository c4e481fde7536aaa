import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { messageStoreContract } from "../contract/messageStore.contract";

messageStoreContract(() => new InMemoryUnitOfWork());
