/** Office hours (HOURS-1 … HOURS-4): `@clinic-chat/domain/hours`. */
export {
  checkOfficeHours,
  defaultOfficeHours,
  isLocalDate,
  normalizedOfficeHours,
  type OfficeHours,
  type OpeningPeriod,
  officeHoursLimits,
  type Weekday,
  weekdays,
} from "./OfficeHours";
export { afterHoursNotice, changeOfficeHours, officeHours } from "./officeHoursUseCases";
export { isOpenAt, nextOpening } from "./schedule";
export { instantAt, type WallClock, wallClockAt } from "./zonedTime";
