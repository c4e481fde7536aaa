import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { notificationStoreContract } from "../contract/notificationStore.contract";

notificationStoreContract(() => new InMemoryUnitOfWork());
