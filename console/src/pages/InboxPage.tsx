import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { get, request } from '../api';
import { setUnread, type InboxAnswer } from '../inbox';
import { labelZh, noticeKindZh, problemZh } from '../labels';
import { useLiveRefresh } from '../live';
import { formatTime } from '../time';

type Item = InboxAnswer['items'][number];

/** 消息: the notices meant for the caller, newest first; what is not read yet stands out. */
export default function InboxPage() {
  const [answer, setAnswer] = useState<InboxAnswer>();
  const [error, setError] = useState<string>();
  const load = useCallback(async (signal: AbortSignal) => {
    try {
      const read = await get<InboxAnswer>('/inbox?limit=200', signal);
      setAnswer(read);
      setUnread(read.unread);
      setError(undefined);
    } catch (e) {
      if (!signal.aborted) setError(problemZh(e));
    }
  }, []);
  useLiveRefresh(load);

  const markRead = async (noticeIds?: string[]) => {
    try {
      const { unread } = await request<{ unread: number }>('POST', '/inbox/read', { body: noticeIds ? { noticeIds } : {} });
      setUnread(unread);
      const now = new Date().toISOString();
      setAnswer(
        (before) =>
          before && {
            unread,
            items: before.items.map((i) => (i.readAt === null && (!noticeIds || noticeIds.includes(i.noticeId)) ? { ...i, readAt: now } : i)),
          },
      );
    } catch (e) {
      setError(problemZh(e));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          消息{answer && answer.unread > 0 ? `（${answer.unread} 条未读）` : ''}
        </Typography.Title>
        <Button onClick={() => void markRead()} disabled={!answer || answer.unread === 0}>
          全部标为已读
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Table<Item>
        rowKey="noticeId"
        loading={!answer && !error}
        dataSource={answer?.items ?? []}
        pagination={false}
        locale={{ emptyText: '暂无消息' }}
        columns={[
          { title: '时间', dataIndex: 'createdAt', width: 150, render: (at: string) => formatTime(at) },
          { title: '类型', dataIndex: 'kind', width: 140, render: (kind: string) => labelZh(noticeKindZh, kind) },
          {
            title: '内容',
            dataIndex: 'text',
            render: (text: string, item) => (item.readAt ? text : <Typography.Text strong>{text}</Typography.Text>),
          },
          {
            title: '案件',
            dataIndex: 'caseId',
            width: 200,
            render: (caseId: string, item) => (
              <Link to={`/cases/${encodeURIComponent(caseId)}`} onClick={() => void (item.readAt ? undefined : markRead([item.noticeId]))}>
                {caseId}
              </Link>
            ),
          },
          {
            title: '状态',
            dataIndex: 'readAt',
            width: 150,
            render: (readAt: string | null, item) =>
              readAt ? (
                <Tag>已读</Tag>
              ) : (
                <Space size={4}>
                  <Tag color="processing">未读</Tag>
                  <Button size="small" type="link" onClick={() => void markRead([item.noticeId])}>
                    标为已读
                  </Button>
                </Space>
              ),
          },
        ]}
      />
    </Space>
  );
}
