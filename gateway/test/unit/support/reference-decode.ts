/**
 * The follower's block decoding as it was written first, on google-protobuf's generated classes (every message of
 * the envelope decoded): the reference the wire-format decoder of src/follower/block-decode.ts is checked against.
 */
import { StatusCode } from '@hyperledger/fabric-gateway';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { invokedChaincode, namespaceWrites } from '../../../src/fabric/ledger-decode';
import type {
  DecodedBlock,
  DecodedEvent,
  DecodedTransaction,
  KvWrite,
} from '../../../src/follower/block-decode';

/** Decodes a block for the chaincode `namespace` (the chaincode name). */
export function referenceDecodeBlock(block: common.Block, namespace: string): DecodedBlock {
  const header = block.getHeader();
  if (!header) throw new Error('block has no header');
  const number = header.getNumber();
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  const transactions = envelopes.map((envelopeBytes, index) =>
    decodeTransaction(envelopeBytes, index, filter?.[index] ?? StatusCode.NOT_VALIDATED, namespace),
  );
  return { number, transactions };
}

/** Decodes serialized block bytes (as answered by qscc GetBlockByNumber). */
export function referenceDecodeBlockBytes(bytes: Uint8Array, namespace: string): DecodedBlock {
  return referenceDecodeBlock(common.Block.deserializeBinary(bytes), namespace);
}

function decodeTransaction(
  envelopeBytes: Uint8Array,
  index: number,
  validationCode: number,
  namespace: string,
): DecodedTransaction {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
  );
  const channelHeaderBytes = payload.getHeader()?.getChannelHeader_asU8();
  if (!channelHeaderBytes) throw new Error(`transaction ${index} has no channel header`);
  const channelHeader = common.ChannelHeader.deserializeBinary(channelHeaderBytes);
  const timestamp = channelHeader.getTimestamp();
  const base = {
    txId: channelHeader.getTxId(),
    index,
    validationCode,
    timestamp: timestamp ? timestamp.toDate() : new Date(0),
    creatorMspId: creatorOf(payload),
  };
  const valid = validationCode === StatusCode.VALID;
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
    return { ...base, valid: false, ours: false, writes: [] };
  }
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const writes: KvWrite[] = [];
  let event: DecodedEvent | undefined;
  let functionName: string | undefined;
  let ours = false;
  for (const action of transaction.getActionsList()) {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const invoked = invokedChaincode(actionPayload);
    if (invoked.name !== namespace) continue;
    ours = true;
    functionName ??= invoked.functionName;
    const responseBytes = actionPayload.getAction()?.getProposalResponsePayload_asU8();
    if (!responseBytes) continue;
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(
      peer.ProposalResponsePayload.deserializeBinary(responseBytes).getExtension_asU8(),
    );
    if (valid) writes.push(...namespaceWrites(chaincodeAction.getResults_asU8(), namespace));
    const eventBytes = chaincodeAction.getEvents_asU8();
    if (eventBytes.length > 0) {
      const chaincodeEvent = peer.ChaincodeEvent.deserializeBinary(eventBytes);
      if (chaincodeEvent.getEventName()) {
        event = { name: chaincodeEvent.getEventName(), payload: chaincodeEvent.getPayload_asU8() };
      }
    }
  }
  return {
    ...base,
    valid,
    ours,
    ...(functionName ? { functionName } : {}),
    writes,
    ...(event && valid ? { event } : {}),
  };
}

function creatorOf(payload: common.Payload): string {
  const signatureHeader = payload.getHeader()?.getSignatureHeader_asU8();
  if (!signatureHeader || signatureHeader.length === 0) return '';
  const creator = common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8();
  return creator.length === 0 ? '' : msp.SerializedIdentity.deserializeBinary(creator).getMspid();
}
