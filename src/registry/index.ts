/** The registry's public API (imported by the pipeline's RegisterModel/Promote tasks and the CLI). */
export {
  type AliasChangeOptions,
  type AliasChangeResult,
  type ProductionHook,
  promote,
  readRef,
  resolveRef,
  rollback,
} from './aliases.ts';
export { normalizePrefix, type RegistryContext, resolveActor } from './context.ts';
export { type DiffRow, diffVersions, type VersionDiff } from './diff.ts';
export { registryContextFromConfig } from './from-config.ts';
export { readIndex, updateIndex } from './index-store.ts';
export { recordModelDeleted } from './model-deletion.ts';
export { aliasesOf, listVersions, readHistory, type VersionListing } from './read.ts';
export { type RegisterResult, readVersion, registerVersion } from './register.ts';
export * from './schema.ts';
export { showVersion, type VersionDetail } from './show.ts';
export { type Bump, compareVersions, nextVersion } from './version-number.ts';
