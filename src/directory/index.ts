export {
  type DeactivateResult,
  deactivateStaff,
  type Handover,
  type HandoverTimer,
  handOverWork,
} from './deactivate.ts';
export { type DirectoryLoadResult, loadDirectory, parseDirectory } from './load.ts';
export * from './queries.ts';
export * from './schemas.ts';
