/** The query side's configuration of a gateway configuration, with defaults for one built without it. */
import type { GatewayConfig } from '../config';
import { defaultQueryConfig } from './query-config';
import type { QueryConfig } from './query-config';

/** `config.query`, or the defaults (SQLite under dataDir, the gateway's own URL as resolver). */
export function resolveQueryConfig(config: Pick<GatewayConfig, 'query' | 'dataDir' | 'listen'>): QueryConfig {
  return config.query ?? defaultQueryConfig({ dataDir: config.dataDir, listen: config.listen });
}
