import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Result,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  type DescriptionsProps,
} from 'antd';
import { useCallback, useEffect, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, get } from '../api';
import { ActionDialog } from '../components/ActionDialog';
import { Attachments } from '../components/Attachments';
import { DueCell, StatusTag } from '../components/CaseTable';
import { useNow } from '../hooks';
import { useLiveTrigger } from '../live';
import {
  actionLabel,
  actorLabel,
  callbackOutcomeZh,
  categoryZh,
  channelZh,
  deadlineZh,
  deliveryChannelZh,
  enforcementActionZh,
  escalationTierZh,
  findingZh,
  jointPartStatusZh,
  labelZh,
  noticeKindZh,
  onDutyLabel,
  recipientLabel,
  ownerKindZh,
  pausePartyZh,
  problemZh,
  reasonZh,
  timelineKindZh,
  unitLevelZh,
} from '../labels';
import { formatDue, formatTime } from '../time';
import type { CaseAction, CaseView, Notice, NoticeDelivery } from '../types';

/** What the page loads besides the case; each may fail alone (a leader may not read notices). */
interface Loaded<T> {
  value?: T;
  error?: unknown;
}

function useCaseData(id: string, version: number) {
  const [view, setView] = useState<Loaded<CaseView>>({});
  const [actions, setActions] = useState<Loaded<CaseAction[]>>({});
  const [notices, setNotices] = useState<Loaded<Notice[]>>({});
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    // A re-read that fails (the service busy for a moment) keeps what was shown, with the error
    // beside it: a dialog open on the page stays open, and the next re-read may succeed.
    const load = <Answer, T>(path: string, unwrap: (answer: Answer) => T, set: Dispatch<SetStateAction<Loaded<T>>>) =>
      get<Answer>(path, signal).then(
        (answer) => set({ value: unwrap(answer) }),
        (error: unknown) => {
          if (!signal.aborted) set((loaded) => ({ ...loaded, error }));
        },
      );
    const base = `/complaints/${encodeURIComponent(id)}`;
    void load(base, (view: CaseView) => view, setView);
    void load(`${base}/actions`, (a: { actions: CaseAction[] }) => a.actions, setActions);
    void load(`${base}/notices`, (n: { notices: Notice[] }) => n.notices, setNotices);
    return () => controller.abort();
  }, [id, version]);
  return { view, actions, notices };
}

const caseLink = (id: string) => <Link to={`/cases/${encodeURIComponent(id)}`}>{id}</Link>;

function complainantText(c: CaseView['complaint']['complainant']): string {
  if (c.anonymous) return '匿名';
  return [c.name, c.phone, c.idNumber].filter(Boolean).join('，') || '（未留姓名和联系方式）';
}

/**
 * The first receiver now: the last claim or hand-over in the timeline (the view's complaint keeps
 * only the one at registration), else the registering one, else the district queue's.
 */
function firstReceiverText(view: CaseView): string {
  for (const entry of [...view.timeline].reverse()) {
    if (entry.kind === 'handed_over' && typeof entry.data?.to === 'string') return entry.data.to;
    if (entry.kind === 'claimed') return entry.actorName ?? entry.actor.split(':').slice(1).join(':');
  }
  if (view.complaint.firstReceiver) return view.complaint.firstReceiver;
  return view.onDuty?.startsWith('registrars-of:') ? '待认领' : '—';
}

function Facts({ view }: { view: CaseView }) {
  const c = view.complaint;
  const items: DescriptionsProps['items'] = [
    { label: '渠道', children: labelZh(channelZh, c.channel) },
    { label: '类别', children: labelZh(categoryZh, c.category) },
    { label: '紧急程度', children: c.urgent ? <Tag color="red">紧急</Tag> : '一般' },
    ...(c.collective ? [{ label: '集体信访', children: `${c.collective.complainants} 人` }] : []),
    { label: '区县', children: c.location.district },
    { label: '地址', children: c.location.address, span: 2 },
    { label: '污染源', children: c.polluter ?? '—' },
    { label: '行业', children: c.industry ?? '—' },
    { label: '投诉人', children: complainantText(c.complainant) },
    { label: '收到时间', children: formatTime(c.receivedAt) },
    { label: '登记时间', children: formatTime(view.registeredAt) },
    { label: '受理时间', children: formatTime(view.acceptedAt) },
    { label: '首接负责人', children: firstReceiverText(view) },
    { label: '当前待办', children: onDutyLabel(view.onDuty) },
    { label: '承办单位', children: view.unit ? `${view.unit.name}（${labelZh(unitLevelZh, view.unit.level)}）` : '—' },
    { label: '交办时间', children: formatTime(view.dispatchedAt) },
    { label: '责任人', children: view.dutyOfficer ?? '—' },
    { label: '退回整改次数', children: view.reworkCount },
    {
      label: '问题描述',
      children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{c.description ?? '（已归档，不保留）'}</Typography.Paragraph>,
      span: 3,
    },
  ];
  if (c.evidence && c.evidence.length > 0) {
    items.push({
      label: '证据',
      span: 3,
      children: (
        <Space orientation="vertical" size={0}>
          {c.evidence.map((link) => (
            <Typography.Link key={link} href={link} target="_blank" rel="noopener noreferrer">
              {link}
            </Typography.Link>
          ))}
        </Space>
      ),
    });
  }
  if (view.closedAt)
    items.push(
      { label: '办结时间', children: formatTime(view.closedAt) },
      { label: '办结原因', children: view.closeReason ? reasonZh(view.closeReason) : '—', span: 2 },
    );
  return <Descriptions size="small" bordered column={3} items={items} />;
}

interface DeadlineRow {
  name: string;
  dueAt: string;
  provisional: boolean;
  workingDays: boolean;
}

function Deadlines({ view, now }: { view: CaseView; now: number }) {
  const rows: DeadlineRow[] = Object.entries(view.deadlines)
    .flatMap(([name, d]) => (d ? [{ name, dueAt: d.dueAt, provisional: d.provisional, workingDays: d.workingDays }] : []))
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {view.overdue && <Alert type="error" showIcon title="办理已超期" />}
      {view.dispatchOverdue && <Alert type="error" showIcon title="交办已超期：案件仍未交办到承办单位" />}
      {view.reward?.overdue && <Alert type="error" showIcon title="有奖举报奖励兑付已超期" />}
      {rows.length === 0 ? (
        <Empty description={view.archived ? '已归档，无运行中的期限' : '没有运行中的期限'} />
      ) : (
        <Table<DeadlineRow>
          rowKey="name"
          size="small"
          pagination={false}
          dataSource={rows}
          onRow={(row) => (Date.parse(row.dueAt) < now ? { style: { background: '#fff1f0' } } : {})}
          columns={[
            { title: '期限', dataIndex: 'name', render: (name: string) => labelZh(deadlineZh, name) },
            {
              title: '截止时间',
              dataIndex: 'dueAt',
              render: (dueAt: string, row) => (
                <span>
                  {formatDue(dueAt)}
                  {row.provisional && (
                    <Tag color="orange" style={{ marginLeft: 8 }}>
                      按暂定节假日计算
                    </Tag>
                  )}
                </span>
              ),
            },
            {
              title: '剩余',
              dataIndex: 'dueAt',
              key: 'left',
              render: (dueAt: string, row) => <DueCell dueAt={dueAt} now={now} workingDays={row.workingDays} />,
            },
          ]}
        />
      )}
    </Space>
  );
}

const tierZh: Readonly<Record<string, string>> = escalationTierZh;

/** Result, extension, callbacks, leader ownership, spot check, reward: what the case holds of each. */
function handlingSections(view: CaseView): ReactNode[] {
  const sections: ReactNode[] = [];
  const { result, extension, escalation, spotCheck, reward } = view;
  if (result) {
    sections.push(
      <Descriptions
        key="result"
        title="办结反馈"
        size="small"
        column={2}
        items={[
          { label: '核查结论', children: labelZh(findingZh, result.finding) },
          { label: '按期', children: result.onTime ? '是' : <Typography.Text type="danger">否</Typography.Text> },
          { label: '处理措施', children: result.actions.map((a) => labelZh(enforcementActionZh, a)).join('、') },
          { label: '反馈时间', children: `${formatTime(result.submittedAt)}（${result.by}）` },
          { label: '答复内容', children: <span style={{ whiteSpace: 'pre-wrap' }}>{result.reply}</span>, span: 2 },
        ]}
      />,
    );
  }
  if (extension) {
    const decision = extension.decision === 'approved' ? '已批准' : extension.decision === 'denied' ? '已驳回' : '待决定';
    sections.push(
      <Descriptions
        key="extension"
        title="延期申请"
        size="small"
        column={2}
        items={[
          { label: '天数', children: `${extension.days} 个工作日` },
          { label: '状态', children: decision },
          { label: '申请', children: `${formatTime(extension.requestedAt)}（${extension.requestedBy}）` },
          { label: '理由', children: extension.reason },
        ]}
      />,
    );
  }
  // Every round, numbered: the first is the first-time satisfaction (一次办理满意率), the last the current one.
  const attempts = [...view.callbackRounds, view.callbacks].flatMap((round, i) => round.map((a) => ({ ...a, round: i + 1 })));
  if (attempts.length > 0) {
    sections.push(
      <div key="callbacks">
        <Typography.Title level={5}>回访</Typography.Title>
        <Table
          rowKey="at"
          size="small"
          pagination={false}
          dataSource={attempts}
          columns={[
            { title: '轮次', dataIndex: 'round', render: (round: number) => `第${round}轮` },
            { title: '时间', dataIndex: 'at', render: (at: string) => formatTime(at) },
            { title: '结果', dataIndex: 'outcome', render: (o: string) => labelZh(callbackOutcomeZh, o) },
            { title: '回访人', dataIndex: 'by' },
            { title: '备注', dataIndex: 'note' },
          ]}
        />
      </div>,
    );
  }
  if (escalation.tier > 0 || escalation.owners.length > 0) {
    sections.push(
      <Descriptions
        key="escalation"
        title="领导包案"
        size="small"
        column={2}
        items={[
          { label: '层级', children: labelZh(tierZh, String(escalation.tier)) },
          { label: '包案时间', children: formatTime(escalation.since) },
          {
            label: '包案领导',
            children: escalation.owners.length > 0 ? escalation.owners.map((o) => `${o.leaderId}（${labelZh(ownerKindZh, o.kind)}）`).join('、') : '待确定',
          },
          { label: '原因', children: escalation.reason ? reasonZh(escalation.reason) : '—' },
          { label: '处置方案', children: escalation.plan ?? '尚未填写', span: 2 },
          ...(escalation.progress ?? []).map((p, i) => ({ key: `p${i}`, label: `进展 ${formatTime(p.at)}`, children: `${p.note}（${p.by}）`, span: 2 })),
          ...(escalation.resolved ? [{ label: '化解', children: '已化解' }] : []),
        ]}
      />,
    );
  }
  if (view.jointParts && view.jointParts.length > 0) {
    type Part = NonNullable<CaseView['jointParts']>[number];
    sections.push(
      <div key="joint">
        <Typography.Title level={5}>联合办理</Typography.Title>
        <Table<Part>
          rowKey={(p) => p.unit.id}
          size="small"
          pagination={false}
          dataSource={view.jointParts}
          columns={[
            { title: '协办单位', key: 'unit', render: (_: unknown, p) => p.unit.name },
            { title: '协办任务', dataIndex: 'task' },
            {
              title: '状态',
              key: 'status',
              render: (_: unknown, p) => (
                <Space size={4}>
                  <Tag color={p.status === 'working' ? 'blue' : p.status === 'done' ? 'green' : 'default'}>{labelZh(jointPartStatusZh, p.status)}</Tag>
                  {p.status === 'working' && p.acknowledgedAt ? <Tag>已签收</Tag> : null}
                  {p.overdue ? <Tag color="red">超期</Tag> : p.warningLevel > 0 ? <Tag color="orange">预警{p.warningLevel}</Tag> : null}
                </Space>
              ),
            },
            { title: '反馈期限', dataIndex: 'dueAt', render: (dueAt: string) => formatDue(dueAt) },
            {
              title: '协办结果',
              key: 'result',
              render: (_: unknown, p) =>
                p.result
                  ? `${labelZh(findingZh, p.result.finding)}；${p.result.actions.map((a) => labelZh(enforcementActionZh, a)).join('、')}；${p.result.reply}${p.result.onTime ? '' : '（超期）'}`
                  : p.reason
                    ? reasonZh(p.reason)
                    : '—',
            },
          ]}
        />
      </div>,
    );
  }
  if (view.pauses && view.pauses.length > 0) {
    sections.push(
      <div key="pauses">
        <Typography.Title level={5}>中止办理（补充材料）</Typography.Title>
        <Table
          rowKey="at"
          size="small"
          pagination={false}
          dataSource={view.pauses}
          columns={[
            { title: '中止时间', dataIndex: 'at', render: (at: string) => formatTime(at) },
            {
              title: '向谁补充',
              key: 'awaiting',
              render: (_: unknown, p: NonNullable<CaseView['pauses']>[number]) => `${labelZh(pausePartyZh, p.awaiting)}${p.party ? `（${p.party}）` : ''}`,
            },
            { title: '需补充的内容', dataIndex: 'question' },
            { title: '答复期限', dataIndex: 'dueAt', render: (dueAt: string) => formatTime(dueAt) },
            {
              title: '恢复计时',
              key: 'resumed',
              render: (_: unknown, p: NonNullable<CaseView['pauses']>[number]) =>
                p.resumedAt ? (
                  `${formatTime(p.resumedAt)}${p.expired ? '（逾期未收到）' : ''}，期限顺延 ${p.workingDays ?? 0} 个工作日`
                ) : (
                  <Tag color="orange">计时中止</Tag>
                ),
            },
          ]}
        />
      </div>,
    );
  }
  if (view.supervisions && view.supervisions.length > 0) {
    sections.push(
      <div key="supervisions">
        <Typography.Title level={5}>督办</Typography.Title>
        <Table
          rowKey="at"
          size="small"
          pagination={false}
          dataSource={view.supervisions}
          columns={[
            { title: '督办时间', dataIndex: 'at', render: (at: string) => formatTime(at) },
            { title: '督办事项', dataIndex: 'note' },
            { title: '回复期限', dataIndex: 'dueAt', render: (dueAt: string) => formatTime(dueAt) },
            {
              title: '回复',
              key: 'reply',
              render: (_: unknown, v: NonNullable<CaseView['supervisions']>[number]) =>
                v.reply ? (
                  <span>
                    {v.reply.note}（{formatTime(v.reply.at)}
                    {v.reply.onTime ? '' : '，超期'}）
                  </span>
                ) : v.overdue ? (
                  <Typography.Text type="danger">超期未回复</Typography.Text>
                ) : (
                  '待回复'
                ),
            },
          ]}
        />
      </div>,
    );
  }
  if (spotCheck) {
    sections.push(
      <Descriptions
        key="spot"
        title="随机抽查"
        size="small"
        column={2}
        items={[
          { label: '抽中时间', children: formatTime(spotCheck.selectedAt) },
          { label: '结果', children: spotCheck.passed === undefined ? '待复核' : spotCheck.passed ? '通过' : '未通过' },
          ...(spotCheck.note ? [{ label: '说明', children: spotCheck.note, span: 2 }] : []),
        ]}
      />,
    );
  }
  if (reward) {
    sections.push(
      <Descriptions
        key="reward"
        title="有奖举报"
        size="small"
        column={2}
        items={[
          { label: '兑付期限', children: formatDue(reward.dueAt) },
          { label: '兑付', children: reward.paidAt ? `${formatTime(reward.paidAt)}（${reward.reference ?? ''}）` : '未兑付' },
          ...rewardItems(reward),
        ]}
      />,
    );
  }
  return sections;
}

/** The reward's amount, its approval and the anonymous reporter's claim (兑奖), as far as the case has them. */
function rewardItems(reward: NonNullable<CaseView['reward']>): { label: string; children: ReactNode; span?: number }[] {
  const { proposal, approval } = reward;
  const eligibleBy = reward.eligibleBy?.actions
    ? reward.eligibleBy.actions.map((a) => labelZh(enforcementActionZh, a)).join('、')
    : reward.eligibleBy?.category !== undefined
      ? labelZh(categoryZh, reward.eligibleBy.category)
      : undefined;
  return [
    ...(eligibleBy ? [{ label: '计奖事由', children: eligibleBy }] : []),
    {
      label: '奖励金额',
      children: proposal ? `${proposal.amountYuan} 元（${proposal.by} 拟定）` : reward.approvalRequired ? '待拟定' : '—',
    },
    ...(proposal ? [{ label: '计奖依据', children: proposal.basis, span: 2 }] : []),
    {
      label: '审批',
      children: approval
        ? `${formatTime(approval.at)} ${approval.by} 批准${approval.note ? `（${approval.note}）` : ''}`
        : reward.approvalRequired
          ? '待审批'
          : '无需审批',
    },
    ...(reward.claimable ? [{ label: '兑奖（匿名举报人）', children: reward.claimedAt ? `${formatTime(reward.claimedAt)} 凭兑奖码兑奖` : '尚未兑奖' }] : []),
  ];
}

function HandlingCard({ view }: { view: CaseView }) {
  const sections = handlingSections(view);
  if (sections.length === 0) return null;
  return (
    <Card title="办理情况" size="small">
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        {sections}
      </Space>
    </Card>
  );
}

function Repeats({ view }: { view: CaseView }) {
  const earlier = view.complaint.repeatOf;
  const later = view.repeatReports ?? [];
  const nearby = view.complaint.nearby ?? [];
  if (earlier.length === 0 && later.length === 0 && nearby.length === 0 && !view.mergedInto) return null;
  return (
    <Card title="重复投诉" size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {view.mergedInto && (
          <div>
            已合并到：{caseLink(view.mergedInto)}
            {view.mergeUnconfirmed && <Tag color="orange">系统自动并案，待登记员确认或拆分</Tag>}
          </div>
        )}
        {nearby.length > 0 && (
          <div>
            附近其他污染源的案件：
            <Space separator="、" wrap>
              {nearby.map((id) => (
                <span key={id}>{caseLink(id)}</span>
              ))}
            </Space>
          </div>
        )}
        {earlier.length > 0 && (
          <div>
            重复以下案件：
            <Space separator="、" wrap>
              {earlier.map((id) => (
                <span key={id}>{caseLink(id)}</span>
              ))}
            </Space>
          </div>
        )}
        {later.length > 0 && (
          <Table
            rowKey="caseId"
            size="small"
            pagination={false}
            dataSource={later}
            columns={[
              { title: '后续投诉', dataIndex: 'caseId', render: (id: string) => caseLink(id) },
              { title: '时间', dataIndex: 'at', render: (at: string) => formatTime(at) },
              { title: '摘要', dataIndex: 'summary' },
              { title: '投诉人', dataIndex: 'callable', render: (callable: boolean) => (callable ? '已留存，告知结果并回访' : '匿名或未留存') },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}

/** The timeline entry a notice was raised by: its id is `<case>:<seq>:<kind>:<recipient>` (workflows/case.ts notify). */
const raisedBy = (notice: Notice) => Number(notice.id.split(':')[1]);

/** Each step, newest first, with the notices it raised and how each was delivered. */
function CaseTimeline({ view, notices }: { view: CaseView; notices: readonly Notice[] }) {
  return (
    <Timeline
      items={[...view.timeline].reverse().map((entry) => ({
        key: entry.seq,
        color: entry.kind.includes('overdue') || entry.kind.includes('missed') || entry.kind === 'warning' ? 'red' : 'blue',
        title: formatTime(entry.at),
        content: (
          <div>
            <Typography.Text strong>{labelZh(timelineKindZh, entry.kind)}</Typography.Text>
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
              {actorLabel(entry.actor, entry.actorName)}
            </Typography.Text>
            {entry.note && <div style={{ whiteSpace: 'pre-wrap' }}>{reasonZh(entry.note)}</div>}
            {notices
              .filter((n) => raisedBy(n) === entry.seq)
              .map((n) => (
                <div key={n.id} style={{ marginTop: 4 }}>
                  <Typography.Text type="secondary">
                    {labelZh(noticeKindZh, n.kind)} → {recipientLabel(n.recipient)}
                  </Typography.Text>{' '}
                  <Deliveries notice={n} />
                </div>
              ))}
          </div>
        ),
      }))}
    />
  );
}

function Notices({ notices }: { notices: Loaded<Notice[]> }) {
  if (notices.error && !notices.value) {
    const forbidden = notices.error instanceof ApiError && notices.error.status === 403;
    return <Typography.Text type="secondary">{forbidden ? '无权限查看通知' : `通知读取失败：${problemZh(notices.error)}`}</Typography.Text>;
  }
  return (
    <Table<Notice>
      rowKey="id"
      size="small"
      loading={notices.value === undefined}
      pagination={false}
      dataSource={notices.value ?? []}
      columns={[
        { title: '时间', dataIndex: 'createdAt', render: (at: string) => formatTime(at), width: 150 },
        { title: '类型', dataIndex: 'kind', render: (kind: string) => labelZh(noticeKindZh, kind), width: 120 },
        {
          title: '接收方',
          dataIndex: 'recipient',
          render: (r: string, n) => (n.addressees.length > 0 ? `${recipientLabel(r)}（${n.addressees.join('、')}）` : recipientLabel(r)),
        },
        { title: '内容', dataIndex: 'text' },
        {
          title: '文书',
          dataIndex: 'document',
          width: 180,
          render: (document: Notice['document'], n) =>
            document && (
              <a href={`/complaints/${encodeURIComponent(n.caseId)}/notices/${encodeURIComponent(n.id)}/document`} target="_blank" rel="noreferrer">
                {document.title}
                <br />
                {document.number}
              </a>
            ),
        },
        { title: '送达', dataIndex: 'deliveries', render: (_: unknown, n) => <Deliveries notice={n} />, width: 220 },
      ]}
    />
  );
}

/** Each e-mail or SMS of a notice: to whom, and how it went; the provider's last answer on hover. */
function Deliveries({ notice }: { notice: Notice }) {
  if (notice.deliveries.length === 0) return notice.deliveredAt ? formatTime(notice.deliveredAt) : <Typography.Text type="secondary">未发送</Typography.Text>;
  const shown = (d: NoticeDelivery) => {
    const what = deliveryChannelZh[d.channel];
    if (d.status === 'sent') return { color: 'success', text: `${what}已发送` };
    if (d.status === 'failed') return { color: 'error', text: `${what}发送失败` };
    return { color: 'processing', text: d.attempts > 0 ? `${what}重试中（已试 ${d.attempts} 次）` : `${what}待发送` };
  };
  return (
    <Space orientation="vertical" size={2}>
      {notice.deliveries.map((d) => {
        const { color, text } = shown(d);
        return (
          <Tooltip key={`${d.to ?? ''}-${d.channel}`} title={d.lastError ?? undefined}>
            <Tag color={color}>
              {d.to ?? '—'}：{text}
            </Tag>
          </Tooltip>
        );
      })}
    </Space>
  );
}

function Actions({ caseId, actions, onDone }: { caseId: string; actions: Loaded<CaseAction[]>; onDone: () => void }) {
  // One dialog at a time; `opening` counts openings so each is a new form with a new Idempotency-Key.
  const [open, setOpen] = useState<{ action: CaseAction; opening: number }>();
  const [openings, setOpenings] = useState(0);
  if (actions.error && !actions.value) {
    const missing = actions.error instanceof ApiError && actions.error.type === 'not-found';
    return <Alert type="warning" showIcon title={missing ? '操作列表暂不可用' : `操作列表读取失败：${problemZh(actions.error)}`} />;
  }
  if (!actions.value) return <Spin />;
  // An upload is offered beside the attachments (附件), not as a form here.
  const forms = actions.value.filter((a) => !a.upload);
  if (forms.length === 0) return <Typography.Text type="secondary">当前没有您可办理的操作</Typography.Text>;
  const ordinary = forms.filter((a) => !a.override);
  const overrides = forms.filter((a) => a.override);
  const openAction = (action: CaseAction) => {
    setOpenings((n) => n + 1);
    setOpen({ action, opening: openings + 1 });
  };
  return (
    <Space orientation="vertical">
      {ordinary.length > 0 && (
        <Space wrap>
          {ordinary.map((a) => (
            <Button key={a.name} type="primary" onClick={() => openAction(a)}>
              {actionLabel(a.name, a.summary)}
            </Button>
          ))}
        </Space>
      )}
      {overrides.length > 0 && (
        <Space wrap>
          <Typography.Text type="secondary">特别处置：</Typography.Text>
          {overrides.map((a) => (
            <Button key={a.name} danger onClick={() => openAction(a)}>
              {actionLabel(a.name, a.summary)}
            </Button>
          ))}
        </Space>
      )}
      {open && (
        <ActionDialog
          key={open.opening}
          caseId={caseId}
          action={open.action}
          onClose={() => setOpen(undefined)}
          onDone={() => {
            setOpen(undefined);
            onDone();
          }}
        />
      )}
    </Space>
  );
}

/**
 * 案件详情: the case, what may be done with it now, its timeline and notices. Ant Design's App
 * (message and modal with the locale and theme, App.useApp) is this page's alone: the other pages
 * need neither, so the first load does without its code.
 */
export default function CasePage() {
  const { id = '' } = useParams();
  return (
    <App component={false}>
      {/* A case of its own per id: what another case showed never stands in for this one. */}
      <CaseScreen key={id} id={id} />
    </App>
  );
}

function CaseScreen({ id }: { id: string }) {
  const now = useNow();
  const [version, setVersion] = useState(0);
  const { view, actions, notices } = useCaseData(id, version);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  // Someone else moved the case (or the live stream is down: every 15 s): read it again, in place.
  useLiveTrigger(refresh, (change) => change.id === id);

  if (view.error && !view.value) {
    return (
      <Result
        status={view.error instanceof ApiError && view.error.status === 404 ? '404' : 'error'}
        title={problemZh(view.error)}
        extra={
          <Button type="primary" onClick={refresh}>
            重试
          </Button>
        }
      />
    );
  }
  const v = view.value;
  if (!v) return <Spin size="large" style={{ display: 'block', margin: 64 }} />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          案件 {v.complaint.id}
        </Typography.Title>
        <StatusTag status={v.status} />
        {v.complaint.urgent && <Tag color="red">紧急</Tag>}
        {v.overdue && <Tag color="red">已超期</Tag>}
        {v.escalation.tier > 0 && <Tag color="purple">领导包案</Tag>}
        {v.archived && <Tag>已归档</Tag>}
        <Button onClick={refresh}>刷新</Button>
      </Space>
      {view.error !== undefined && <Alert type="warning" showIcon title={`刷新失败：${problemZh(view.error)}。以下为上次读取的内容。`} />}
      <Card title="可办理操作" size="small">
        <Actions
          caseId={v.complaint.id}
          actions={actions}
          // The case, the actions allowed and the notices moved on: read them again, in place.
          onDone={refresh}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Card title="基本情况" size="small">
              <Facts view={v} />
            </Card>
            <Card title="期限" size="small">
              <Deadlines view={v} now={now} />
            </Card>
            <HandlingCard view={v} />
            <Repeats view={v} />
            <Card title="附件" size="small">
              <Attachments view={v} canUpload={actions.value?.some((a) => a.upload) ?? false} onDone={refresh} />
            </Card>
            <Card title="通知" size="small">
              <Notices notices={notices} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Card title="办理过程" size="small">
            <CaseTimeline view={v} notices={notices.value ?? []} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
