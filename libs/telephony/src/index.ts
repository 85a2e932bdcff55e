export * from './telephony.gateway';
export * from './twilio-telephony.gateway';
export * from './telephony.module';
export { ReroutingRequestClient, rerouteTwilioUri } from './rerouting-request-client';
export { maskPhoneNumbers, toTelephonyError } from './twilio-error.mapper';
export { startSimulatedGateway, SimulatedGateway } from './testing/simulated-gateway';
