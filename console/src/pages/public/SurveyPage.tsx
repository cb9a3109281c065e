import { Alert, Button, Descriptions, Form, Input, Radio, Result, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, get, request } from '../../api';
import { callbackOutcomeZh, problemZh } from '../../labels';
import { formatTime } from '../../time';
import { PublicFrame } from './PublicFrame';

interface Survey {
  caseId: string;
  state: 'open' | 'answered' | 'closed';
  expiresAt: string;
  finding: { label: string };
  reply: string;
}

interface Answer {
  outcome: 'satisfied' | 'basically_satisfied' | 'unsatisfied';
  note?: string;
}

const answers = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

function whyNot(error: unknown): string {
  if (error instanceof ApiError && error.status === 410) return '评价链接已过期，工作人员将电话回访您';
  if (error instanceof ApiError && error.status === 404) return '评价链接无效，请核对短信或邮件中的链接';
  if (error instanceof ApiError && error.status === 409) return '该评价已结束';
  return problemZh(error);
}

/** 满意度评价: the complainant answers the survey of the link sent with the result, once. */
export default function SurveyPage() {
  const { token = '' } = useParams();
  const path = `/survey/${encodeURIComponent(token)}`;
  const [survey, setSurvey] = useState<Survey>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    get<Survey>(path, controller.signal).then(setSurvey, (e: unknown) => {
      if (!controller.signal.aborted) setError(whyNot(e));
    });
    return () => controller.abort();
  }, [path]);

  const answer = async (values: Answer) => {
    setBusy(true);
    setError(undefined);
    try {
      await request('POST', path, { body: { outcome: values.outcome, ...(values.note?.trim() ? { note: values.note.trim() } : {}) } });
      setDone(true);
    } catch (e) {
      setError(whyNot(e));
    } finally {
      setBusy(false);
    }
  };

  const content = () => {
    if (done || survey?.state === 'answered') return <Result status="success" title="感谢您的评价" subTitle="您的评价已记录，我们将持续改进工作。" />;
    if (!survey) return error ? <Alert type="warning" showIcon title={error} role="alert" /> : <Spin />;
    if (survey.state === 'closed') return <Alert type="info" showIcon title="该评价已结束：案件已办结或已重新办理" />;
    return (
      <>
        <Descriptions column={1} size="small" bordered style={{ marginBottom: 24 }} styles={{ label: { whiteSpace: 'nowrap' } }}>
          <Descriptions.Item label="编号">{survey.caseId}</Descriptions.Item>
          <Descriptions.Item label="核查结论">{survey.finding.label}</Descriptions.Item>
          <Descriptions.Item label="答复内容">{survey.reply}</Descriptions.Item>
          <Descriptions.Item label="评价截止">{formatTime(survey.expiresAt)}</Descriptions.Item>
        </Descriptions>
        <Form<Answer> layout="vertical" onFinish={(values) => void answer(values)} requiredMark={false}>
          <Form.Item label="您对本次办理结果是否满意？" name="outcome" rules={[{ required: true, message: '请选择您的评价' }]}>
            <Radio.Group optionType="button" buttonStyle="solid" options={answers.map((a) => ({ value: a, label: callbackOutcomeZh[a] }))} />
          </Form.Item>
          <Form.Item label="意见或建议（选填）" name="note">
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            提交评价
          </Button>
        </Form>
      </>
    );
  };

  return <PublicFrame title="办理结果满意度评价">{content()}</PublicFrame>;
}
