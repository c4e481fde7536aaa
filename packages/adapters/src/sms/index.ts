/**
 * Text messages behind the domain's `SmsSender`, over a Twilio-compatible HTTP API.
 * @packageDocumentation
 */

export { createHttpSmsSender, type HttpSmsSenderOptions } from "./createHttpSmsSender";
export { SmsDeliveryError } from "./SmsDeliveryError";
