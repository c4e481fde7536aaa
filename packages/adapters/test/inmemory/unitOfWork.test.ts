import { InMemoryUnitOfWork } from "@clinic-chat/domain";
import { unitOfWorkContract } from "../contract/unitOfWork.contract";

unitOfWorkContract(() => new InMemoryUnitOfWork());
