/** Shared helpers of the integration tests: the live network's topology, API tokens and a small HTTP client. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import { DEFAULT_TOPOLOGY, findPeerOrg, loadTopology, peerOrgLayout, statePaths } from '../../../network/src';

/** The live network's topology and state. */
export const topology = loadTopology(DEFAULT_TOPOLOGY);
export const state = statePaths();

/** Per-organisation API tokens written by the network generator. */
export function tokens(): Record<string, string> {
  return JSON.parse(fs.readFileSync(state.credentials, 'utf8')) as Record<string, string>;
}

/** A JSON response. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A client of one organisation's gateway, authenticated with its token unless told otherwise. */
export class Api {
  constructor(
    readonly orgKey: string,
    readonly baseUrl = `http://${topology.host}:${findPeerOrg(topology, orgKey).gatewayPort}`,
    private readonly token: string | null = tokens()[orgKey] ?? null,
  ) {}

  /** The same gateway without a credential (null), or with another one. */
  as(token: string | null): Api {
    return new Api(this.orgKey, this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
}

/** One Api per organisation key. */
export const api = Object.fromEntries(topology.peerOrgs.map((o) => [o.key, new Api(o.key)])) as Record<
  string,
  Api
>;

/** A direct Fabric Gateway connection as an organisation's client user, for what the REST API must not allow. */
export function fabricConnection(orgKey: string): { gateway: Gateway; close: () => void } {
  const org = findPeerOrg(topology, orgKey);
  const l = peerOrgLayout(state, org);
  const client = new grpc.Client(org.peerEndpoint, grpc.credentials.createSsl(fs.readFileSync(l.tlsCa)), {
    'grpc.ssl_target_name_override': org.peerHostname,
  });
  const gateway = connect({
    client,
    identity: { mspId: org.mspId, credentials: fs.readFileSync(l.client.cert) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(l.client.key))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30000 }),
    submitOptions: () => ({ deadline: Date.now() + 10000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60000 }),
  });
  return {
    gateway,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

/** Particulars a member organisation registers with, from the topology file. */
export function particularsOf(orgKey: string) {
  const o = findPeerOrg(topology, orgKey);
  return {
    name: o.name,
    role: o.role,
    businessLicence: o.businessLicence,
    ...(o.foodProductionLicence ? { foodProductionLicence: o.foodProductionLicence } : {}),
    region: o.region,
  };
}

/**
 * Accepts a transfer as the receiver once the receiver's own peer has the offer, as a real receiver does (it sees
 * the offer in its list first): right after the offer commits, another organisation's peer may not have the block
 * yet, and its endorsement would answer TRANSFER_NOT_FOUND.
 */
export async function acceptTransfer(receiverKey: string, transferId: string): Promise<ApiResponse> {
  const receiver = api[receiverKey]!;
  const deadline = Date.now() + 20_000;
  while ((await receiver.get(`/api/v1/transfers/${transferId}`)).status === 404 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  return receiver.post(`/api/v1/transfers/${transferId}/accept`);
}
