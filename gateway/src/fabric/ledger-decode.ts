/**
 * Decoding of the ledger's own protobuf records (blocks, envelopes, chain info) into plain facts a caller can
 * check: which block holds a transaction, whether it was valid, who endorsed it and when it was made.
 */
import { common, gateway, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { StatusCode } from '@hyperledger/fabric-gateway';

/** One write of a transaction to a chaincode's namespace. */
export interface KvWrite {
  readonly key: string;
  /** The bytes written; null when the key was deleted. */
  readonly value: Uint8Array | null;
}

/** What the ledger records about one transaction. */
export interface TransactionInfo {
  readonly txId: string;
  readonly channel: string;
  readonly blockNumber: bigint;
  /** Position of the transaction in its block. */
  readonly transactionIndex: number;
  /** Symbolic validation code: VALID, MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE, ... */
  readonly validationCode: string;
  readonly valid: boolean;
  /** The transaction's timestamp, from its channel header. */
  readonly timestamp: Date;
  /** Header type: ENDORSER_TRANSACTION, CONFIG, ... */
  readonly type: string;
  /** MSP ID of the identity that signed the transaction. */
  readonly creatorMspId: string;
  /** MSP IDs of the endorsing peers' identities, in endorsement order, without repeats. */
  readonly endorsingOrganizations: readonly string[];
  /** Chaincode and function invoked (endorser transactions only). */
  readonly chaincode?: Readonly<{ name: string; function: string }>;
}

const VALIDATION_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(StatusCode).map(([name, value]) => [value as number, name]),
);

const HEADER_TYPE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(common.HeaderType).map(([name, value]) => [value, name]),
);

/** The height (number of blocks) in a serialized common.BlockchainInfo, as answered by qscc GetChainInfo. */
export function decodeChainHeight(bytes: Uint8Array): bigint {
  return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
}

/** What the gateway needs of an endorsed transaction it submitted. */
export interface PreparedTransactionFacts {
  /** The timestamp in its channel header (what the chaincode saw as the transaction's time). */
  readonly timestamp: Date;
  /** Its writes to chaincode `namespace`, in write-set order: what it writes once it commits valid. */
  writes(namespace: string): KvWrite[];
}

/** Decodes a serialized gateway.PreparedTransaction (an endorsed transaction) once; its writes on demand. */
export function decodePreparedTransaction(bytes: Uint8Array): PreparedTransactionFacts {
  const envelope = gateway.PreparedTransaction.deserializeBinary(bytes).getEnvelope();
  if (!envelope) throw new Error('prepared transaction has no envelope');
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  return {
    timestamp: channelHeaderOf(payload).timestamp,
    writes: (namespace) => {
      const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
      const writes: KvWrite[] = [];
      for (const action of transaction.getActionsList()) {
        const responseBytes = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8())
          .getAction()
          ?.getProposalResponsePayload_asU8();
        if (!responseBytes) continue;
        const chaincodeAction = peer.ChaincodeAction.deserializeBinary(
          peer.ProposalResponsePayload.deserializeBinary(responseBytes).getExtension_asU8(),
        );
        writes.push(...namespaceWrites(chaincodeAction.getResults_asU8(), namespace));
      }
      return writes;
    },
  };
}

/** The writes of a serialized TxReadWriteSet to one namespace. */
export function namespaceWrites(rwsetBytes: Uint8Array, namespace: string): KvWrite[] {
  if (rwsetBytes.length === 0) return [];
  const writes: KvWrite[] = [];
  for (const nsRwset of ledger.rwset.TxReadWriteSet.deserializeBinary(rwsetBytes).getNsRwsetList()) {
    if (nsRwset.getNamespace() !== namespace) continue;
    const kvRwset = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(nsRwset.getRwset_asU8());
    for (const write of kvRwset.getWritesList()) {
      writes.push({ key: write.getKey(), value: write.getIsDelete() ? null : write.getValue_asU8() });
    }
  }
  return writes;
}

/** Finds a transaction in a serialized common.Block and describes it; undefined if the block lacks it. */
export function decodeTransactionInBlock(blockBytes: Uint8Array, txId: string): TransactionInfo | undefined {
  const block = common.Block.deserializeBinary(blockBytes);
  const blockNumber = BigInt(block.getHeader()?.getNumber() ?? 0);
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  for (const [index, envelopeBytes] of envelopes.entries()) {
    const payload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
    );
    const header = channelHeaderOf(payload);
    if (header.txId !== txId) continue;
    const code = filter?.[index] ?? StatusCode.NOT_VALIDATED;
    const isEndorserTx = header.type === common.HeaderType.ENDORSER_TRANSACTION;
    const action = isEndorserTx ? chaincodeActionOf(payload) : undefined;
    return {
      txId,
      channel: header.channel,
      blockNumber,
      transactionIndex: index,
      validationCode: VALIDATION_NAMES.get(code) ?? `UNKNOWN_${code}`,
      valid: code === StatusCode.VALID,
      timestamp: header.timestamp,
      type: HEADER_TYPE_NAMES.get(header.type) ?? `UNKNOWN_${header.type}`,
      creatorMspId: creatorOf(payload),
      endorsingOrganizations: action?.endorsers ?? [],
      ...(action?.chaincode ? { chaincode: action.chaincode } : {}),
    };
  }
  return undefined;
}

interface ChannelHeaderFacts {
  txId: string;
  channel: string;
  type: number;
  timestamp: Date;
}

function channelHeaderOf(payload: common.Payload): ChannelHeaderFacts {
  const headerBytes = payload.getHeader()?.getChannelHeader_asU8();
  if (!headerBytes) throw new Error('transaction payload has no channel header');
  const header = common.ChannelHeader.deserializeBinary(headerBytes);
  const timestamp = header.getTimestamp();
  return {
    txId: header.getTxId(),
    channel: header.getChannelId(),
    type: header.getType(),
    timestamp: timestamp ? timestamp.toDate() : new Date(0),
  };
}

function creatorOf(payload: common.Payload): string {
  const signatureHeader = payload.getHeader()?.getSignatureHeader_asU8();
  if (!signatureHeader || signatureHeader.length === 0) return '';
  const creator = common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8();
  return mspIdOf(creator);
}

function mspIdOf(serializedIdentity: Uint8Array): string {
  return msp.SerializedIdentity.deserializeBinary(serializedIdentity).getMspid();
}

/** Endorsing organisations and invoked chaincode function of an endorser transaction. */
function chaincodeActionOf(
  payload: common.Payload,
): { endorsers: string[]; chaincode?: { name: string; function: string } } | undefined {
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const first = transaction.getActionsList()[0];
  if (!first) return undefined;
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(first.getPayload_asU8());
  const endorsers: string[] = [];
  for (const endorsement of actionPayload.getAction()?.getEndorsementsList() ?? []) {
    const mspId = mspIdOf(endorsement.getEndorser_asU8());
    if (!endorsers.includes(mspId)) endorsers.push(mspId);
  }
  const { name, functionName } = invokedChaincode(actionPayload);
  return { endorsers, ...(name ? { chaincode: { name, function: functionName ?? '' } } : {}) };
}

/** Name of the chaincode an action invoked, and its function ('contract:Transaction') if it names one. */
export function invokedChaincode(actionPayload: peer.ChaincodeActionPayload): {
  name: string;
  functionName?: string;
} {
  const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(
    actionPayload.getChaincodeProposalPayload_asU8(),
  );
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(
    proposalPayload.getInput_asU8(),
  ).getChaincodeSpec();
  const name = spec?.getChaincodeId()?.getName() ?? '';
  const first = spec?.getInput()?.getArgsList_asU8()[0];
  return first ? { name, functionName: Buffer.from(first).toString('utf8') } : { name };
}
