import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { broadcastStoreContract } from "../contract/broadcastStore.contract";

broadcastStoreContract(() => new InMemoryUnitOfWork());
