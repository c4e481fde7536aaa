import { directoryContract } from "../contract/directory.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

directoryContract(usePostgresUnitOfWork().factory);
