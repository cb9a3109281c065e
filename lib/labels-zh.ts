/**
 * Chinese labels for the codes the service speaks in, for people reading exports and the web
 * console (console/, which imports this file: keep it free of runtime imports, so the browser
 * bundle takes only these maps). Each map is checked against its code list with `satisfies`, so a
 * code added to the list without a label fails to compile instead of showing up untranslated.
 */
import type { Count, Hotspot, Kpi, unassignedUnit, unknownIndustry } from '../db/reports';
import type { Duty } from '../db/duty';
import type { RewardRow } from '../db/reward-report';
import type { RewardApproval } from '../workflows/projection';
import type { ActionName } from '../workflows/actions';
import type {
  AttachmentKind,
  CallbackOutcome,
  Channel,
  DeadlineName,
  EnforcementAction,
  Escalation,
  Finding,
  JointPartStatus,
  LeaderOwner,
  NoticeKind,
  Pause,
  Role,
  Status,
  TimelineKind,
  Unit,
} from '../workflows/model';

export const statusZh = {
  registered: '已登记',
  accepted: '已受理',
  assigned: '已交办',
  in_progress: '办理中',
  rework: '整改中',
  result_review: '结果审核中',
  callback: '回访中',
  closed: '已办结',
  under_review: '抽查中',
  not_accepted: '不予受理',
  transferred_out: '已转送',
  merged: '已合并',
  withdrawn: '已撤回',
} as const satisfies Record<Status, string>;

/** How a notice left: e-mail to staff, SMS to the complainant. */
export const deliveryChannelZh = { email: '邮件', sms: '短信' } as const;

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
  hotline_12369: '12369环保热线',
  email: '电子邮件',
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

/** The four rates (四率), the first-time satisfaction beside the final one, and the share of cases whose clock stopped (中止). */
export const rateZh = {
  timelyAcceptance: '及时受理率',
  onTimeCompletion: '按期办结率',
  standardisation: '办理规范率',
  satisfaction: '群众满意率',
  firstTimeSatisfaction: '一次办理满意率',
  paused: '中止办理占比',
} as const satisfies Record<keyof Kpi, string>;

/** Every kind of timeline entry (workflows/model.ts timelineKinds). */
export const timelineKindZh = {
  registered: '登记',
  accepted: '受理',
  not_accepted: '不予受理',
  transferred_out: '转送',
  merged: '合并',
  withdrawn: '撤回',
  follow_up: '补充材料',
  attachment_added: '上传附件',
  repeat_reported: '重复投诉',
  merge_target_unreachable: '合并目标不可达',
  merge_confirmed: '确认并案',
  merge_split: '拆分为独立案件',
  repeat_split: '并入的投诉已拆分',
  claimed: '认领',
  handed_over: '移交',
  unit_warned: '预警',
  unit_supervised: '督办',
  supervision_ordered: '督办（限期回复）',
  supervision_answered: '督办回复',
  supervision_reply_overdue: '督办回复超期',
  assigned: '交办',
  reassigned: '改派',
  jurisdiction_refused: '退回（非本单位管辖）',
  acknowledged: '签收',
  on_site_report: '现场报告',
  result_submitted: '办结反馈',
  result_review_overdue: '结果审核超期',
  result_approved: '结果审核通过',
  result_rejected: '结果审核退回',
  extension_requested: '申请延期',
  extension_decision_overdue: '延期审批超期',
  extension_approved: '批准延期',
  extension_denied: '驳回延期',
  extended: '延长期限',
  urgency_changed: '变更紧急程度',
  clock_paused: '中止办理（补充材料）',
  clock_resumed: '恢复计时',
  dispatch_overdue: '交办超期',
  warning: '超时预警',
  overdue: '办理超期',
  rapid_response_missed: '快速响应超时',
  callback_overdue: '回访超期',
  calendar_updated: '节假日日历更新',
  callback: '回访',
  returned_for_rework: '退回整改',
  closed: '办结',
  spot_check_selected: '抽中复核',
  spot_check_passed: '抽查通过',
  spot_check_failed: '抽查未通过',
  spot_check_overdue: '抽查复核超期',
  escalated: '升级包案',
  escalation_kept: '维持包案',
  leaders_assigned: '确定包案领导',
  leader_missing: '无包案领导',
  leader_plan: '包案方案',
  leader_progress: '包案进展',
  leader_review: '包案复核',
  reward_opened: '有奖举报立项',
  reward_proposed: '拟定奖励金额',
  reward_approved: '奖励金额审批通过',
  reward_claimed: '举报人凭兑奖码兑奖',
  reward_paid: '奖励已兑付',
  reward_overdue: '奖励兑付超期',
  joint_assigned: '联合办理交办',
  joint_part_acknowledged: '协办单位签收',
  joint_part_warning: '协办超时预警',
  joint_part_overdue: '协办超期',
  joint_part_done: '协办反馈',
  joint_part_refused: '拒绝协办',
  joint_parts_waived: '不再等待协办',
} as const satisfies Record<TimelineKind, string>;

/** The notices recorded for delivery (workflows/model.ts NoticeKind). */
export const noticeKindZh = {
  acceptance: '受理告知',
  not_accepted: '不予受理告知',
  transferred: '转送告知',
  assignment: '交办通知',
  warning: '预警通知',
  supervision: '督办通知',
  rework: '退回整改通知',
  result_reply: '办结答复',
  escalation: '包案通知',
  rapid_response_missed: '快速响应超时通知',
  callback_overdue: '回访超期通知',
  reward: '有奖举报通知',
  handover: '移交通知',
  case_assigned: '交办告知',
  case_extended: '延期告知',
  case_merged: '合并办理告知',
  case_reworked: '重新办理告知',
  case_closed: '办结告知',
  information_requested: '补充材料告知',
  roster_gap: '值班空缺告警',
  joint_part: '联合办理通知',
} as const satisfies Record<NoticeKind, string>;

/** A co-unit's actions on its part (联合办理, workflows/joint-part.ts partActions), as `part.<action>`. */
export const partActionZh: Readonly<Record<string, string>> = {
  'part.acknowledge': '协办签收',
  'part.submit': '协办反馈',
  'part.refuse': '拒绝协办',
};

/** Where a co-unit's part of a joint case stands (联合办理, workflows/model.ts jointPartStatuses). */
export const jointPartStatusZh = {
  working: '协办中',
  done: '已反馈',
  refused: '拒绝协办',
  waived: '不再等待',
} as const satisfies Record<JointPartStatus, string>;

/** Who a stopped clock waits for (中止). */
export const pausePartyZh = { complainant: '投诉人', third_party: '第三方' } as const satisfies Record<Pause['awaiting'], string>;

export const findingZh = {
  substantiated: '属实',
  partly_substantiated: '部分属实',
  not_substantiated: '不属实',
} as const satisfies Record<Finding, string>;

export const enforcementActionZh = {
  inspection: '现场检查',
  order_to_rectify: '责令整改',
  penalty: '行政处罚',
  case_filed: '立案查处',
  mediation: '调解',
  none: '无需处理',
} as const satisfies Record<EnforcementAction, string>;

export const callbackOutcomeZh = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
  unreachable: '联系不上',
} as const satisfies Record<CallbackOutcome, string>;

export const unitLevelZh = {
  province: '省级',
  city: '市级',
  district: '区县级',
  street: '街道级',
} as const satisfies Record<Unit['level'], string>;

/** 双包案: the system leader and the territorial one. */
export const ownerKindZh = {
  system: '系统包案',
  territorial: '属地包案',
} as const satisfies Record<LeaderOwner['kind'], string>;

export const deadlineZh = {
  dispatch: '交办期限',
  handling: '办结期限',
  warning1: '一级预警',
  warning2: '二级预警',
  escalation: '升级包案',
  callback: '回访期限',
  rapidResponse: '快速响应（到场）',
  leaderReview: '包案复核',
  reviewWindow: '抽查复核期',
  rewardPayment: '奖励兑付期限',
  extensionDecision: '延期审批期限',
  mergeDecision: '并案确认期限',
  resultReview: '结果审核期限',
  spotCheck: '抽查复核期限',
  supervisionReply: '督办回复期限',
  pauseAnswer: '补充材料期限',
} as const satisfies Record<DeadlineName, string>;

/** What a file attached to a case is (附件). */
export const attachmentKindZh = {
  evidence_photo: '现场照片',
  inspection_record: '检查记录',
  penalty_decision: '处罚决定书',
  other: '其他',
} as const satisfies Record<AttachmentKind, string>;

/** Leader ownership (领导包案) by tier; 0 is none. */
export const escalationTierZh = {
  0: '未包案',
  1: '一级（科室负责人）',
  2: '二级（分局负责人）',
  3: '三级（市局领导）',
} as const satisfies Record<Escalation['tier'], string>;

export const roleZh = {
  integrator: '接入平台',
  registrar: '登记员',
  unit: '承办单位',
  leader: '包案领导',
  supervisor: '督办员',
  ops: '运维',
  admin: '管理员',
  system: '系统',
} as const satisfies Record<Role, string>;

/**
 * Every action of the table (workflows/actions.ts), as the console's buttons name them; the
 * table's `summary` is English for the OpenAPI document.
 */
export const actionZh = {
  accept: '受理',
  notAccept: '不予受理',
  transferOut: '转送',
  merge: '合并',
  confirmMerge: '确认并案',
  splitMerge: '拆分',
  claim: '认领',
  handOver: '移交',
  warnUnit: '预警',
  superviseUnit: '督办',
  pause: '中止办理（补充材料）',
  resume: '恢复计时',
  supervise: '督办（限期回复）',
  answerSupervision: '督办回复',
  assign: '交办',
  rapidDispatch: '值班快速出警',
  refuseJurisdiction: '退回（非本单位管辖）',
  acknowledge: '签收',
  reportOnSite: '现场报告',
  submitResult: '办结反馈',
  approveResult: '审核通过',
  rejectResult: '审核退回重办',
  recordCallback: '回访',
  requestExtension: '申请延期',
  approveExtension: '批准延期',
  denyExtension: '驳回延期',
  recordLeaderPlan: '包案方案',
  recordLeaderProgress: '包案进展',
  withdraw: '撤回',
  addEvidence: '补充材料',
  attach: '上传附件',
  recordSpotCheck: '抽查结果',
  proposeReward: '拟定奖励金额',
  approveReward: '审批奖励金额',
  claimReward: '凭兑奖码兑奖',
  recordRewardPaid: '奖励兑付',
  returnForRework: '退回整改',
  reassign: '改派',
  extend: '延长期限',
  escalate: '升级包案',
  close: '结案',
  reopen: '重新打开',
  changeUrgency: '变更紧急程度',
  jointAssign: '联合办理',
  waiveJointParts: '不再等待协办',
} as const satisfies Record<ActionName, string>;

/**
 * Categories are free codes (a bureau adds its own), so there is no list to check against: these
 * are the ones the default policy names (rapid response and rewards) and the everyday ones. Others
 * read as their code.
 */
export const categoryZh: Readonly<Record<string, string>> = {
  noise: '噪声',
  odour: '异味',
  hidden_discharge_pipe: '暗管偷排',
  hazardous_waste_dumping: '危险废物倾倒',
  idle_treatment_facility: '治污设施闲置',
  high_pollution_fuel: '使用高污染燃料',
  unlicensed_surface_treatment: '无证表面处理',
  water: '水污染',
  air: '大气污染',
  cooking_fumes: '餐饮油烟',
  solid_waste: '固体废物',
  soil: '土壤污染',
  radiation: '辐射',
  ecology: '生态破坏',
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

/** The reports' placeholder keys (db/reports.ts): overdue cases with no unit yet, cases with no industry. */
export const reportPlaceholderZh = {
  '(unassigned)': '未交办',
  '(unknown)': '未知',
} as const satisfies Record<typeof unassignedUnit | typeof unknownIndustry, string>;

/** Where a reward's amount stands (workflows/projection.ts rewardApprovals). */
export const rewardApprovalZh = {
  not_required: '无需审批',
  awaiting_proposal: '待拟定金额',
  proposed: '待审批',
  approved: '已审批',
} as const satisfies Record<RewardApproval, string>;

/** A reward in the rewards report (db/reward-report.ts). */
export const rewardStateZh = {
  due: '待兑付',
  overdue: '已超期',
  paid: '已兑付',
} as const satisfies Record<RewardRow['state'], string>;

/** The duties of the 7×24 roster (db/duty.ts). */
export const dutyZh = {
  duty_leader: '值班领导',
  duty_officer: '值班员',
  rapid_team: '快速响应组',
} as const satisfies Record<Duty, string>;

/** A monthly count's key (a district, a category, a channel, an industry) as people read it. */
export function countKeyZh(dimension: Count['dimension'], key: string): string {
  switch (dimension) {
    case 'channel':
      return labelZh(channelZh, key);
    case 'category':
      return labelZh(categoryZh, key);
    case 'industry':
      return labelZh(reportPlaceholderZh, key);
    case 'district':
      return key;
  }
}

/**
 * The reasons the workflow gives for what it does by itself (a timer, a policy, repeat detection),
 * written in English in the history as codes are; a person's reason is their own text and passes
 * through unchanged.
 */
const systemReasonZh: Record<string, string> = {
  'complainant unsatisfied: decide rework or close': '投诉人不满意，请决定退回整改或结案',
  'extension requested: decide': '承办单位申请延期，请审批',
  'extension request awaiting decision': '延期申请尚待审批，已超审批期限',
  'new evidence or message from the complainant': '投诉人补充了证据或留言',
  'closed case drawn for spot check': '已结案件被抽中复核',
  'spot check awaiting decision': '抽查复核尚待决定，已超复核期限',
  'result awaiting review': '办理结果尚待审核，已超审核期限',
  'supervision order unanswered': '督办事项逾期未回复',
  'supervision answered': '承办单位已回复督办事项',
  'no answer by its deadline: the clock runs again': '补充材料逾期未收到，已恢复计时',
  'repeat of an open case': '重复投诉，并入办理中的案件',
  'merged by repeat detection: confirm or split': '系统自动并案，请确认或拆分',
  'no decision by the deadline': '逾期未决定，按原决定执行',
  'repeat complaint': '重复投诉',
  'anonymous complaint: callback skipped': '匿名投诉，不回访',
  'dispatch deadline passed': '交办期限已过',
  'handling deadline passed': '办理期限已过',
  'reward payment overdue': '奖励兑付已逾期',
  'reward amount to approve': '奖励金额已拟定，请另一名督办人员审批',
  'reward claimed': '匿名举报人已凭兑奖码兑奖，可兑付奖励',
  'overdue past the escalation gap': '超期未办结，已到升级时限',
  'still overdue at leader review': '领导包案复核时仍超期',
  'joint part deadline passed': '协办期限已过',
  'the case ended': '案件已结束',
};

const systemReasonPatternsZh: [RegExp, (...parts: string[]) => string][] = [
  [/^callback: unreachable after (\d+) attempts$/, (attempts) => `回访 ${attempts} 次均联系不上投诉人`],
  [/^callback: (\w+)$/, (outcome) => `回访结果：${labelZh(callbackOutcomeZh, outcome ?? '')}`],
  [/^spot check failed: ([\s\S]*)$/, (note) => `抽查不合格：${note}`],
  [/^withdrawn: ([\s\S]*)$/, (reason) => `投诉人撤回：${reason}`],
  [/^complainant of (\S+) unsatisfied$/, (caseId) => `并案投诉人（${caseId}）回访不满意`],
  [/^result to review: (\w+)$/, (finding) => `办理结果（${labelZh(findingZh, finding ?? '')}）待审核`],
  [/^no leader of tier (\d) on file: designate one$/, (tier) => `未登记第 ${tier} 级包案领导，请指定`],
];

/** A reason as people read it: the workflow's own in Chinese, a person's as they wrote it. */
export function reasonZh(reason: string): string {
  // labelZh, not an index: a person's reason may be `constructor`, which every object has.
  const fixed = labelZh(systemReasonZh, reason);
  if (fixed !== reason) return fixed;
  for (const [pattern, zh] of systemReasonPatternsZh) {
    const match = pattern.exec(reason);
    if (match) return zh(...match.slice(1).map((part) => part ?? ''));
  }
  return reason;
}
