export { checkDataDirs } from './dataDir.js';
export { describeConfig } from './describe.js';
export { isLoopback, type LoadConfigOptions, loadConfig } from './loader.js';
export { SETTINGS, type SettingKey } from './settings.js';
export type { ResolvedConfig, SourceConfig } from './types.js';
