import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { fileStoreContract } from "../contract/fileStore.contract";

fileStoreContract(() => new InMemoryUnitOfWork());
