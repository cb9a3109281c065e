import { Alert, Button, Descriptions, Form, Input, Timeline } from 'antd';
import { useState } from 'react';
import { ApiError, request } from '../../api';
import { problemZh } from '../../labels';
import { formatDue, formatTime } from '../../time';
import { PublicFrame } from './PublicFrame';

interface Asked {
  caseId: string;
  queryCode: string;
}

interface Progress {
  caseId: string;
  status: { label: string };
  category: { label: string };
  unit: string | null;
  registeredAt: string;
  dueAt: string | null;
  closedAt: string | null;
  steps: { at: string; label: string }[];
}

const whyNot = (error: unknown) =>
  error instanceof ApiError && error.status === 404 ? '编号或查询码不正确，请核对受理告知中的编号和查询码' : problemZh(error);

/** 办理进度查询: the complainant's case number and query code (POST /status), no sign-in. */
export default function StatusPage() {
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const ask = async ({ caseId, queryCode }: Asked) => {
    setBusy(true);
    setError(undefined);
    try {
      setProgress(await request<Progress>('POST', '/status', { body: { caseId: caseId.trim(), queryCode: queryCode.trim() } }));
    } catch (e) {
      setProgress(undefined);
      setError(whyNot(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicFrame title="信访件办理进度查询">
      <Form<Asked> layout="vertical" onFinish={(values) => void ask(values)} requiredMark={false}>
        <Form.Item label="编号" name="caseId" rules={[{ required: true, whitespace: true, message: '请输入受理告知中的编号' }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item label="查询码" name="queryCode" rules={[{ required: true, pattern: /^\s*[A-Za-z0-9]{8}\s*$/, message: '查询码为 8 位字母或数字' }]}>
          <Input maxLength={20} autoComplete="off" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" block loading={busy}>
          查询
        </Button>
      </Form>
      {progress && (
        <section aria-label="办理进度" style={{ marginTop: 24 }}>
          <Descriptions column={1} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label="编号">{progress.caseId}</Descriptions.Item>
            <Descriptions.Item label="当前状态">{progress.status.label}</Descriptions.Item>
            <Descriptions.Item label="问题类别">{progress.category.label}</Descriptions.Item>
            <Descriptions.Item label="办理单位">{progress.unit ?? '尚未交办'}</Descriptions.Item>
            <Descriptions.Item label="登记时间">{formatTime(progress.registeredAt)}</Descriptions.Item>
            {progress.closedAt ? (
              <Descriptions.Item label="办结时间">{formatTime(progress.closedAt)}</Descriptions.Item>
            ) : (
              <Descriptions.Item label="当前期限">{formatDue(progress.dueAt)}</Descriptions.Item>
            )}
          </Descriptions>
          <Timeline style={{ marginTop: 24 }} items={progress.steps.map((s) => ({ content: `${formatTime(s.at)} ${s.label}` }))} />
        </section>
      )}
    </PublicFrame>
  );
}
