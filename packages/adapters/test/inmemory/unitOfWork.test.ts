import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { unitOfWorkContract } from "../contract/unitOfWork.contract";

unitOfWorkContract(() => new InMemoryUnitOfWork());
