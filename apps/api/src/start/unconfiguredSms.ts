import type { SmsSender } from "@clinic-chat/domain";
import type { Logger } from "pino";

/** Without an SMS provider, SMS deliveries are skipped with a warning rather than retried for ever. */
export function unconfiguredSms(logger: Logger): SmsSender {
  return {
    async send() {
      logger.warn("an SMS notification was skipped: no SMS provider is configured (SMS_BASE_URL)");
    },
  };
}
