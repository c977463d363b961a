export * from './outbox.ts';
export * from './views.ts';
