/**
 * The alliance's core promise: no single member can write a record alone. A transaction endorsed by one
 * member's peer only must be invalidated at commit and change nothing on the ledger. This runs first, on the
 * freshly formed alliance, where the logistics firm has not registered yet (so its application would be valid).
 */
import { CommitError, StatusCode } from '@hyperledger/fabric-gateway';
import { fabricConnection, topology } from './support';

describe('endorsement policy', () => {
  it('invalidates a write endorsed by a single member organisation and leaves the ledger unchanged', async () => {
    const { gateway, close } = fabricConnection('logistics');
    try {
      const contract = gateway.getNetwork(topology.channel).getContract(topology.chaincode.name, 'members');
      const before = await contract.evaluate('QueryMembers', { arguments: ['', '100', ''] });
      const particulars = {
        name: 'Forged Logistics Record',
        role: 'logistics',
        businessLicence: '91330108MA2H4L3P76',
        region: '330108',
      };
      const attempt = contract.submit('RegisterMember', {
        arguments: [JSON.stringify(particulars), ''],
        endorsingOrganizations: ['LogisticsMSP'],
      });
      await expect(attempt).rejects.toBeInstanceOf(CommitError);
      await expect(attempt).rejects.toMatchObject({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE });

      const after = await contract.evaluate('QueryMembers', { arguments: ['', '100', ''] });
      expect(Buffer.from(after).toString()).toBe(Buffer.from(before).toString());
    } finally {
      close();
    }
  });
});
