import { Alert, Badge, Space, Tabs, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { get } from '../api';
import { takeEarlyWork, takeEarlyWorkNow } from '../early';
import { byDueAt, CaseTable } from '../components/CaseTable';
import { useNow } from '../hooks';
import { problemZh } from '../labels';
import { useLiveRefresh } from '../live';
import { holds, useCaller } from '../session';
import { formatClock } from '../time';
import type { Caller, CasePage, CaseRow } from '../types';

const soonMs = 2 * 24 * 3_600_000;

/** A supervisor's tabs beside its decisions: open cases the list API finds by the read side's flags. */
const watchLists = [
  { key: 'overdue', label: '超期', query: 'open=true&overdue=true' },
  { key: 'warned', label: '预警', query: 'open=true&overdue=false&warned=true' },
  { key: 'extension', label: '延期申请', query: 'extensionPending=true' },
  { key: 'spotCheck', label: '抽查待复核', query: 'spotCheck=pending' },
] as const;
type WatchKey = (typeof watchLists)[number]['key'];

interface Tab {
  key: string;
  label: string;
  rows: CaseRow[];
}

interface Loaded {
  /** GET /work: what waits for the caller, in every role it holds. */
  work: CaseRow[];
  /** A supervisor's watch lists (not in /work, which holds its decisions only), by tab. */
  watched: Partial<Record<WatchKey, CaseRow[]>>;
  at: number;
}

/**
 * The tabs of each role the caller holds, each a slice of its queue (the workflow's `onDuty`
 * words, workflows/case.ts), in the order the work comes: registrar, unit, leader, supervisor.
 */
function tabsFor(caller: Caller, loaded: Loaded, now: number): Tab[] {
  const { work } = loaded;
  const tabs: Tab[] = [];
  if (holds(caller, 'registrar')) {
    const queue = (r: CaseRow) => r.onDuty?.startsWith('registrars-of:') === true;
    const mine = (r: CaseRow) => r.onDuty?.startsWith('registrar:') === true;
    tabs.push(
      { key: 'claim', label: '待认领', rows: work.filter(queue) },
      { key: 'accept', label: '待受理', rows: work.filter((r) => mine(r) && r.status === 'registered') },
      { key: 'assign', label: '待交办', rows: work.filter((r) => mine(r) && r.status === 'accepted') },
      { key: 'callback', label: '待回访', rows: work.filter((r) => mine(r) && r.status === 'callback') },
    );
  }
  if (holds(caller, 'unit') && caller.unitId) {
    const ours = (r: CaseRow) => r.onDuty === `unit:${caller.unitId}` || r.handlingUnit === caller.unitId;
    const handling = work.filter((r) => ours(r) && ['assigned', 'in_progress', 'rework'].includes(r.status));
    tabs.push(
      { key: 'acknowledge', label: '待签收', rows: handling.filter((r) => r.status === 'assigned') },
      { key: 'handling', label: '办理中', rows: handling.filter((r) => r.status === 'in_progress' || r.status === 'rework') },
      // Due within two days, or already past: both want the unit's attention first.
      { key: 'soon', label: '即将超期', rows: handling.filter((r) => r.dueAt !== null && Date.parse(r.dueAt) - now < soonMs) },
    );
  }
  if (holds(caller, 'leader')) {
    tabs.push({ key: 'owned', label: '包案件', rows: work.filter((r) => r.escalationTier > 0) });
  }
  if (holds(caller, 'supervisor')) {
    tabs.push({ key: 'decide', label: '待决定', rows: work.filter((r) => r.onDuty === 'supervisor') });
    for (const list of watchLists) tabs.push({ key: list.key, label: list.label, rows: loaded.watched[list.key] ?? [] });
  }
  tabs.push({ key: 'all', label: '全部待办', rows: work });
  return tabs;
}

/**
 * 待办: the landing page, what waits for the signed-in person. Re-read whenever a case the person
 * may see moves (a case entering or leaving one of its queues is such a move), and every 15 s only
 * while the live stream is down.
 */
export default function WorkPage() {
  const caller = useCaller();
  const now = useNow();
  const supervisor = holds(caller, 'supervisor');
  // The queue index.html asked for, when it has come: the page's first render shows it. A
  // supervisor's page reads its watch lists besides, so it starts loading like any other.
  const [loaded, setLoaded] = useState<Loaded | undefined>(() => {
    const work = supervisor ? undefined : takeEarlyWorkNow();
    return work && { work, watched: {}, at: Date.now() };
  });
  const [error, setError] = useState<unknown>();
  const [active, setActive] = useState<string>();

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        const readWork = () => get<{ items: CaseRow[] }>('/work', signal);
        const [work, ...watched] = await Promise.all([
          // The first load takes the read index.html asked for, or asks again if it failed.
          takeEarlyWork()?.then((early) => early ?? readWork(), readWork) ?? readWork(),
          ...(supervisor ? watchLists.map((list) => get<CasePage>(`/complaints?${list.query}&limit=100`, signal)) : []),
        ]);
        setLoaded({
          work: work.items,
          watched: Object.fromEntries(watched.map((page, i) => [watchLists[i]!.key, page.items])),
          at: Date.now(),
        });
        setError(undefined);
      } catch (e) {
        if (!signal.aborted) setError(e);
      }
    },
    [supervisor],
  );
  const live = useLiveRefresh(load, undefined, loaded !== undefined);

  const tabs = useMemo(() => (loaded ? tabsFor(caller, loaded, now) : []), [caller, loaded, now]);
  const current = active ?? tabs.find((t) => t.rows.length > 0)?.key ?? tabs[0]?.key;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space align="baseline">
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          我的待办
        </Typography.Title>
        {loaded && (
          <Typography.Text type="secondary">
            {live ? '实时更新' : '每 15 秒自动刷新'} · 更新于 {formatClock(loaded.at)}
          </Typography.Text>
        )}
      </Space>
      {error !== undefined && <Alert type="error" showIcon title={`待办读取失败：${problemZh(error)}`} />}
      <Tabs
        activeKey={current}
        onChange={setActive}
        items={tabs.map((tab) => ({
          key: tab.key,
          label: (
            <span>
              {tab.label} <Badge count={tab.rows.length} showZero overflowCount={999} color={tab.rows.length > 0 ? 'blue' : 'gray'} />
            </span>
          ),
          children: (
            <CaseTable
              rows={[...tab.rows].sort(byDueAt)}
              loading={!loaded}
              now={now}
              pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (total) => `共 ${total} 件` }}
            />
          ),
        }))}
      />
    </Space>
  );
}
