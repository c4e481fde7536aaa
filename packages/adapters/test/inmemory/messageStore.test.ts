import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { messageGetManyContract } from "../contract/messageGetMany.contract";
import { messageStoreContract } from "../contract/messageStore.contract";

messageStoreContract(() => new InMemoryUnitOfWork());
messageGetManyContract(() => new InMemoryUnitOfWork());
