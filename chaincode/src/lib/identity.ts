/**
 * Who is calling. The member is the caller's organisation (MSP ID); the identity is the certificate's common name.
 * Roles come from the certificate's OU (NodeOUs), read from the PEM because cryptogen certificates carry no
 * Fabric CA attributes.
 */
import { X509Certificate } from 'crypto';
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import type { Actor } from '../shared/records';

/** The calling member: the MSP ID of the submitter's organisation. */
export function callerMspId(ctx: Context): string {
  return ctx.clientIdentity.getMSPID();
}

/** The submitter as recorded on everything it writes: MSP ID and certificate common name. */
export function callerActor(ctx: Context): Actor {
  return { mspId: callerMspId(ctx), id: commonName(ctx.clientIdentity.getID()) };
}

/**
 * The CN of the subject in a Fabric client ID ("x509::/C=../OU=../CN=name::/C=../CN=issuer"); the whole subject
 * if it has no CN, so the actor is never empty.
 */
export function commonName(clientId: string): string {
  const subject = clientId.split('::')[1] ?? clientId;
  const cn = subject
    .split('/')
    .map((part) => part.trim())
    .find((part) => part.startsWith('CN='));
  return cn ? cn.slice(3) : subject;
}

/** The OU values in the caller's certificate subject (cryptogen/Fabric CA put the NodeOU role there). */
export function callerOrganizationalUnits(ctx: Context): string[] {
  let subject: string;
  try {
    subject = new X509Certificate(Buffer.from(ctx.clientIdentity.getIDBytes())).subject;
  } catch {
    throw new ChaincodeError('UNREADABLE_IDENTITY', 'the caller certificate could not be parsed');
  }
  return subject
    .split('\n')
    .filter((line) => line.startsWith('OU='))
    .map((line) => line.slice(3));
}

/** Refuses unless the caller's certificate has the NodeOU role 'admin'. */
export function assertAdmin(ctx: Context): void {
  if (!callerOrganizationalUnits(ctx).includes('admin')) {
    throw new ChaincodeError('NOT_ADMIN', 'only an organisation admin identity may do this');
  }
}
