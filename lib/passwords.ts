import { hash, verify } from '@node-rs/argon2';

/**
 * Staff passwords, hashed with Argon2id (memory-hard) at the library's defaults, which meet
 * OWASP's minimum (19 MiB, 2 passes, 1 lane). The PHC string keeps its parameters, so raising
 * them later still verifies the hashes made before.
 */
export const passwordRules = { minLength: 10, maxLength: 200 } as const;

export function hashPassword(plain: string): Promise<string> {
  return hash(plain);
}

// Verified against when the account does not exist, so a wrong name takes as long as a wrong password.
const decoy = hash('decoy password, never matched');

export async function verifyPassword(phc: string | null | undefined, plain: string): Promise<boolean> {
  if (!phc) {
    await verify(await decoy, plain).catch(() => false);
    return false;
  }
  return verify(phc, plain).catch(() => false);
}
