import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { notificationStoreContract } from "../contract/notificationStore.contract";

notificationStoreContract(() => new InMemoryUnitOfWork());
