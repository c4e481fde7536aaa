import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { directoryContract } from "../contract/directory.contract";
import { patientRecordsContract } from "../contract/patientRecords.contract";

directoryContract(() => new InMemoryUnitOfWork());
patientRecordsContract(() => new InMemoryUnitOfWork());
