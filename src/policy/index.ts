export { defaultPolicyFile, loadPolicy, parsePolicy } from './load.ts';
export * from './schemas.ts';
