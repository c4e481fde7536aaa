import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { emergencyAccessContract } from "../contract/emergencyAccess.contract";

emergencyAccessContract(() => new InMemoryUnitOfWork());
