export * from './outbox.ts';
export * from './port.ts';
export * from './views.ts';
