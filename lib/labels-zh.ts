/**
 * Chinese labels for the codes the service speaks in, for people reading exports (and, later, the
 * web console). Each map is checked against its code list with `satisfies`, so a code added to the
 * list without a label fails to compile instead of showing up untranslated.
 */
import type { Count, Hotspot, Kpi } from '../db/reports';
import type { Channel, Status } from '../workflows/model';

export const statusZh = {
  registered: '已登记',
  accepted: '已受理',
  assigned: '已交办',
  in_progress: '办理中',
  rework: '整改中',
  callback: '回访中',
  closed: '已办结',
  under_review: '抽查中',
  not_accepted: '不予受理',
  transferred_out: '已转送',
  merged: '已合并',
  withdrawn: '已撤回',
} as const satisfies Record<Status, string>;

export const channelZh = {
  letter: '来信',
  visit: '来访',
  phone: '电话',
  web: '网络',
  wechat: '微信',
  weibo: '微博',
  app: '客户端',
  media: '媒体',
  hotline_12345: '12345热线',
  superior_transfer: '上级转办',
  inspection_transfer: '督察转办',
} as const satisfies Record<Channel, string>;

/** The dimensions the monthly report counts by. */
export const dimensionZh = {
  district: '区县',
  category: '类别',
  channel: '渠道',
  industry: '行业',
} as const satisfies Record<Count['dimension'], string>;

export const hotspotTypeZh = {
  location: '地点',
  polluter: '污染源',
  cluster: '集中投诉',
} as const satisfies Record<Hotspot['type'], string>;

/** The four rates (四率). */
export const rateZh = {
  timelyAcceptance: '及时受理率',
  onTimeCompletion: '按期办结率',
  standardisation: '办理规范率',
  satisfaction: '群众满意率',
} as const satisfies Record<keyof Kpi, string>;

/**
 * Categories are free codes (a bureau adds its own), so there is no list to check against: these
 * are the ones the default policy names (rapid response and rewards). Others read as their code.
 */
export const categoryZh: Readonly<Record<string, string>> = {
  noise: '噪声',
  odour: '异味',
  hidden_discharge_pipe: '暗管偷排',
  hazardous_waste_dumping: '危险废物倾倒',
  idle_treatment_facility: '治污设施闲置',
  high_pollution_fuel: '使用高污染燃料',
  unlicensed_surface_treatment: '无证表面处理',
};

/**
 * The label of a code read back from the database, where it is only a string: the code itself when
 * there is none (a category of the bureau's own, a code renamed since). `hasOwn`, so a code such as
 * `constructor` cannot reach the object's prototype.
 */
export function labelZh<Code extends string>(labels: Readonly<Record<Code, string>>, code: string): string {
  const known = (c: string): c is Code => Object.hasOwn(labels, c);
  return known(code) ? labels[code] : code;
}
