export { type DirectoryLoadResult, loadDirectory, parseDirectory } from './load.ts';
export * from './queries.ts';
export * from './schemas.ts';
