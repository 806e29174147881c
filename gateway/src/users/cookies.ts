/** Reading and writing the session cookie (no dependency: one cookie, a strict format). */
import type { Request, Response } from 'express';

/** Name of an organisation's session cookie: per organisation, since browsers share cookies across ports. */
export function sessionCookieName(org: string): string {
  return `agritrace_${org.replace(/[^a-z0-9]/g, '_')}_session`;
}

/** The value of a cookie of the request, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS, for `maxAgeSeconds`. */
export function setSessionCookie(
  res: Response,
  req: Request,
  name: string,
  token: string,
  maxAgeSeconds: number,
): void {
  res.append(
    'Set-Cookie',
    `${name}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}` +
      (req.secure ? '; Secure' : ''),
  );
}

/** Deletes the session cookie. */
export function clearSessionCookie(res: Response, req: Request, name: string): void {
  setSessionCookie(res, req, name, '', 0);
}
