import { isSealedText } from "../../src/keys/sealing";
import { messageGetManyContract } from "../contract/messageGetMany.contract";
import { messageStoreContract } from "../contract/messageStore.contract";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const { factory, database } = usePostgresUnitOfWork();
messageStoreContract(factory);
messageGetManyContract(factory, {
  async isSealed(messageId) {
    const row = await database()
      .inspect.selectFrom("messages")
      .select("text")
      .where("id", "=", messageId)
      .executeTakeFirstOrThrow();
    return row.text !== null && isSealedText(row.text);
  },
});
