export * from './message-status';
export * from './telephony.gateway';
export * from './twilio-telephony.gateway';
export * from './telephony.module';
export * from './transient-retry';
