import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { PayloadKeys } from './codec';

/** What a survey link stands for: one case's one result, until when. */
export interface SurveyClaims {
  caseId: string;
  /** When the result it asks about was submitted: a rework's new result needs a new link. */
  result: string;
  /** Until when it may be answered (ISO 8601). */
  expiresAt: string;
}

/** How long the complainant has to answer: the callback's working days, and a weekend or two. */
export const surveyDays = 15;

/**
 * Signed links to the satisfaction survey (满意度评价), sent with the result. The signing key is
 * derived (HKDF) from each payload key, which the worker and the API already share, so a rotation
 * of PAYLOAD_KEYS rotates it too and the links signed before still verify while their key is kept.
 * A token fits one path segment (100 characters): `<key id>.<case>.<result>.<expires>.<mac>`, the
 * two instants in base-36 milliseconds, the MAC the first 128 bits of HMAC-SHA256, base64url.
 */
export class SurveyLinks {
  private readonly signing = new Map<string, Buffer>();
  private readonly current: string;

  constructor(
    keys: PayloadKeys,
    /** Where the console is, as the complainant reaches it (PUBLIC_URL). */
    private readonly publicUrl: string,
  ) {
    for (const [id, key] of keys.keys) this.signing.set(id, Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'complaints survey link', 32)));
    this.current = keys.current;
  }

  private mac(keyId: string, signed: string): Buffer | undefined {
    const key = this.signing.get(keyId);
    return key && createHmac('sha256', key).update(signed).digest().subarray(0, 16);
  }

  token({ caseId, result, expiresAt }: SurveyClaims): string {
    const signed = [this.current, caseId, Date.parse(result).toString(36), Date.parse(expiresAt).toString(36)].join('.');
    return `${signed}.${this.mac(this.current, signed)!.toString('base64url')}`;
  }

  /** The page the complainant answers on. */
  url(claims: SurveyClaims): string {
    return `${this.publicUrl.replace(/\/$/, '')}/console/survey/${this.token(claims)}`;
  }

  /** The claims of a token this service signed; `expired` past its time; undefined when forged or mangled. */
  verify(token: string, now = new Date()): SurveyClaims | 'expired' | undefined {
    // From the end: a key id may hold dots, a case id never does.
    const parts = token.split('.');
    if (parts.length < 5) return undefined;
    const [caseId, result, expires, signature] = parts.slice(-4) as [string, string, string, string];
    const keyId = parts.slice(0, -4).join('.');
    const expected = this.mac(keyId, parts.slice(0, -1).join('.'));
    const given = Buffer.from(signature, 'base64url');
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const expiresAt = parseInt(expires, 36);
    if (expiresAt <= now.getTime()) return 'expired';
    return { caseId, result: new Date(parseInt(result, 36)).toISOString(), expiresAt: new Date(expiresAt).toISOString() };
  }
}
