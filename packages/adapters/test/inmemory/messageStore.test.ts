import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { messageStoreContract } from "../contract/messageStore.contract";

messageStoreContract(() => new InMemoryUnitOfWork());
