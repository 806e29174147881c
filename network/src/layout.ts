/** Where cryptogen puts each organisation's and node's MSP and TLS material. */
import * as path from 'node:path';
import type { StatePaths } from './paths';
import type { OrdererNode, OrdererOrg, PeerOrg } from './topology';

/** TLS files of one node or user. */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

/** Paths of an orderer organisation's material. */
export function ordererOrgLayout(s: StatePaths, org: OrdererOrg) {
  const base = path.join(s.crypto, 'ordererOrganizations', org.domain);
  const admin = path.join(base, 'users', `Admin@${org.domain}`);
  return {
    msp: path.join(base, 'msp'),
    tlsCa: path.join(base, 'tlsca', `tlsca.${org.domain}-cert.pem`),
    adminMsp: path.join(admin, 'msp'),
    adminTls: {
      cert: path.join(admin, 'tls', 'client.crt'),
      key: path.join(admin, 'tls', 'client.key'),
      ca: path.join(admin, 'tls', 'ca.crt'),
    } as TlsFiles,
  };
}

/** Paths of an ordering node's material. */
export function ordererLayout(s: StatePaths, node: OrdererNode) {
  const base = path.join(s.crypto, 'ordererOrganizations', node.org.domain, 'orderers', node.hostname);
  return {
    msp: path.join(base, 'msp'),
    tls: {
      cert: path.join(base, 'tls', 'server.crt'),
      key: path.join(base, 'tls', 'server.key'),
      ca: path.join(base, 'tls', 'ca.crt'),
    } as TlsFiles,
    ledger: path.join(s.ledgers, node.id),
  };
}

/** Paths of a member organisation's material: its peer, chaincode server, admin and client user. */
export function peerOrgLayout(s: StatePaths, org: PeerOrg) {
  const base = path.join(s.crypto, 'peerOrganizations', org.domain);
  const node = (host: string) => ({
    msp: path.join(base, 'peers', host, 'msp'),
    tls: {
      cert: path.join(base, 'peers', host, 'tls', 'server.crt'),
      key: path.join(base, 'peers', host, 'tls', 'server.key'),
      ca: path.join(base, 'peers', host, 'tls', 'ca.crt'),
    } as TlsFiles,
  });
  const user = (name: string) => {
    const dir = path.join(base, 'users', `${name}@${org.domain}`, 'msp');
    return {
      msp: dir,
      cert: path.join(dir, 'signcerts', `${name}@${org.domain}-cert.pem`),
      key: path.join(dir, 'keystore', 'priv_sk'),
    };
  };
  return {
    msp: path.join(base, 'msp'),
    tlsCa: path.join(base, 'tlsca', `tlsca.${org.domain}-cert.pem`),
    peer: node(org.peerHostname),
    chaincodeServer: node(org.chaincodeServerHostname),
    admin: user('Admin'),
    client: user('User1'),
    ledger: path.join(s.ledgers, org.peerId),
    gatewayConfig: path.join(s.gateway, `${org.key}.json`),
    gatewayData: path.join(s.gateway, org.key),
  };
}
