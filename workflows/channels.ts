/**
 * The channels a complaint arrives by. Apart from the model because the policy counts dispatch
 * days per channel while the model carries the policy: here, neither has to import the other.
 */
export const channels = [
  'letter',
  'visit',
  'phone',
  'web',
  'wechat',
  'weibo',
  'app',
  'media',
  'hotline_12345',
  // The environmental hotline (12369), and e-mail (Dongguan's main channel for reward reports).
  'hotline_12369',
  'email',
  'superior_transfer',
  'inspection_transfer',
] as const;
export type Channel = (typeof channels)[number];
