import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { directoryContract } from "../contract/directory.contract";

directoryContract(() => new InMemoryUnitOfWork());
