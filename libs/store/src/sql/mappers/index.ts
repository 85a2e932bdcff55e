export * from './audit-event.mapper';
export * from './client.mapper';
export * from './message.mapper';
export * from './number.mapper';
export * from './session.mapper';
export * from './sitter.mapper';
