import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { fileStoreContract } from "../contract/fileStore.contract";

fileStoreContract(() => new InMemoryUnitOfWork());
