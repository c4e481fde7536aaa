import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { directoryContract } from "../contract/directory.contract";

directoryContract(() => new InMemoryUnitOfWork());
