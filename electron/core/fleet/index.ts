export { ActionWatcher, type ActionWatcherOptions, type ActionSource, type WaitOptions } from './action-watcher';
export { EnrollmentWatcher, matchDevice, type EnrollmentWatcherOptions, type EnrollmentWaitOptions, type DeviceSource } from './enrollment-watcher';
export { FleetSync, MANAGED_SELECTOR, type FleetSyncOptions, type FleetSyncReport } from './fleet-sync';
export { DurationHistory, type DurationEstimate } from './duration-history';
export { pollInterval, DEFAULT_SCHEDULE, type ScheduleParams } from './poll-schedule';
