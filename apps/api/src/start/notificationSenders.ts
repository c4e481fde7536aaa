import { resolve } from "node:path";
import { createHttpSmsSender, createLocalEmailSender, createSmtpEmailSender } from "@clinic-chat/adapters";
import type { EmailSender, SmsSender } from "@clinic-chat/domain";
import type { Logger } from "pino";
import type { Config } from "../config";
import { countedSender } from "../metrics/metricSources";
import type { ProductMetrics } from "../metrics/metrics";
import { unconfiguredSms } from "./unconfiguredSms";

/**
 * The notification channels: email by SMTP (.eml files under the data folder when no SMTP_URL),
 * SMS when configured; every send counted when metrics are on (OPS-4).
 */
export function notificationSenders(
  config: Config,
  dataDir: string,
  logger: Logger,
  metrics: ProductMetrics | null,
): { email: EmailSender; sms: SmsSender } {
  const email = countedSender(
    config.mail.smtpUrl
      ? createSmtpEmailSender({ smtpUrl: config.mail.smtpUrl, from: config.mail.from })
      : createLocalEmailSender({ directory: resolve(dataDir, "mail"), from: config.mail.from }),
    "email",
    metrics,
  );
  const sms = countedSender(
    config.sms ? createHttpSmsSender(config.sms) : unconfiguredSms(logger),
    "sms",
    metrics,
  );
  return { email, sms };
}
