import { readFileSync } from 'node:fs';
import { enforcementActions } from '../workflows/model';
import { defaultPolicy, timeOfDayPattern, type Policy } from '../workflows/policy';

/**
 * The deployment's policy: the defaults, with the overrides of POLICY_FILE. New cases start with
 * it; running cases keep the policy they started with.
 */
export function loadPolicy(file: string | undefined): Policy {
  if (!file) return defaultPolicy;
  let overrides: unknown;
  try {
    overrides = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`POLICY_FILE ${file}: ${(err as Error).message}`, { cause: err });
  }
  return mergePolicy(overrides, file);
}

export function mergePolicy(overrides: unknown, origin = 'policy'): Policy {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new Error(`${origin}: must be a JSON object`);
  }
  const problems: string[] = [];
  const merged: Record<string, unknown> = { ...defaultPolicy };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in defaultPolicy)) {
      problems.push(`unknown setting "${key}"`);
      continue;
    }
    const expected = (defaultPolicy as unknown as Record<string, unknown>)[key];
    if (typeof value !== typeof expected || Array.isArray(value) !== Array.isArray(expected)) {
      problems.push(`"${key}" must be ${Array.isArray(expected) ? 'an array' : `a ${typeof expected}`}`);
      continue;
    }
    merged[key] = typeof value === 'object' && !Array.isArray(value) ? { ...(expected as object), ...(value as object) } : value;
  }
  const policy = merged as unknown as Policy;
  if (!(policy.spotCheckRate >= 0 && policy.spotCheckRate <= 1)) problems.push('"spotCheckRate" must be within 0..1');
  // The workflow reads these as HH:MM without checking: a bad one would make every hour day or night.
  const night = policy.rapidResponseNightHours;
  if (night && !(timeOfDayPattern.test(String(night.from)) && timeOfDayPattern.test(String(night.to)))) {
    problems.push('"rapidResponseNightHours" must be { "from": "HH:MM", "to": "HH:MM" } (Asia/Shanghai)');
  }
  // The workflow compares these with a result's actions and a proposal's amount: a typo would reward nothing, or anything.
  if (!(policy.rewardActions ?? []).every((a) => (enforcementActions as readonly string[]).includes(a))) {
    problems.push(`"rewardActions" must hold enforcement actions (${enforcementActions.join(', ')})`);
  }
  if (policy.rewardMaxYuan !== undefined && !(Number.isInteger(policy.rewardMaxYuan) && policy.rewardMaxYuan >= 1)) {
    problems.push('"rewardMaxYuan" must be a whole number of yuan, at least 1');
  }
  if (policy.version === defaultPolicy.version && Object.keys(overrides).length > 0) {
    problems.push('"version" must be set to a new name when anything is overridden, so cases say which rules they ran under');
  }
  if (problems.length > 0) throw new Error(`${origin}: ${problems.join('; ')}`);
  return policy;
}
