export * from './cases.ts';
export * from './delivery.ts';
export * from './directory.ts';
export * from './enums.ts';
export * from './oversight.ts';
