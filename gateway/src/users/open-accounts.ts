/** Opens a gateway's accounts: users.db in its data folder, for its organisation. */
import * as path from 'path';
import type { GatewayConfig } from '../config';
import { Accounts } from './accounts';
import { USERS_DB_FILE, UserStore } from './user-store';

/** The accounts of the gateway of `config` (close with `accounts.store.close()`). */
export function openAccounts(
  config: Pick<GatewayConfig, 'org' | 'mspId' | 'displayName' | 'role' | 'dataDir'>,
): Accounts {
  const store = UserStore.open(path.join(config.dataDir, USERS_DB_FILE));
  return new Accounts(store, {
    org: config.org,
    mspId: config.mspId,
    displayName: config.displayName,
    role: config.role,
  });
}
