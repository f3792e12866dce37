export { isLoopback, loadConfig, type LoadConfigOptions } from './loader.js';
export { SETTINGS, type SettingKey } from './settings.js';
export type { ResolvedConfig, SourceConfig } from './types.js';
export { describeConfig } from './describe.js';
