import { maskSecret } from '../shared/redact.js';
import { SETTINGS, type SettingKey } from './settings.js';
import type { ResolvedConfig } from './types.js';

/** The resolved configuration with secrets masked, for `gitlore status`. */
export function describeConfig(config: ResolvedConfig): Record<string, { value: unknown; source: string; env: string }> {
  const out: Record<string, { value: unknown; source: string; env: string }> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [SettingKey, (typeof SETTINGS)[SettingKey]][]) {
    const value = config[key as keyof ResolvedConfig];
    const secret = 'secret' in setting && setting.secret;
    out[key] = {
      value: secret
        ? maskSecret(value as string | undefined)
        : key === 'reposPath'
          ? config.reposPath
          : key === 'indexPath'
            ? config.indexPath
            : (value ?? null),
      source: config.origins[key] ?? 'default',
      env: setting.env,
    };
  }
  return out;
}
