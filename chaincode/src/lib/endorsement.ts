/**
 * State-based endorsement: pins a key to one organisation so that, from the next transaction on, a change to it
 * is valid only if that organisation's peer endorsed it (the custodian's organisation for a lot).
 */
import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';

/** Sets the key-level endorsement policy of `key` to "a peer of `mspId`". */
export async function pinKeyToOrg(ctx: Context, key: string, mspId: string): Promise<void> {
  const policy = new KeyEndorsementPolicy();
  // The runtime does not export ENDORSER_ROLES (only its typings do), hence the literal role.
  policy.addOrgs('PEER', mspId);
  await ctx.stub.setStateValidationParameter(key, policy.getPolicy());
}
