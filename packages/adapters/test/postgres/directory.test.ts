import { directoryContract } from "../contract/directory.contract";
import { patientRecordsContract } from "../contract/patientRecords.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const { factory } = usePostgresUnitOfWork();
directoryContract(factory);
patientRecordsContract(factory);
