import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api';
import { problemZh } from '../labels';
import { useSession } from '../session';

interface Credentials {
  account: string;
  password: string;
}

/** Where RequireSession sent the person from, to return there; only a path of the console. */
function returnPath(state: unknown): string {
  const from = typeof state === 'object' && state !== null && 'from' in state ? state.from : undefined;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

function signInError(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return '账号或密码错误';
  if (error instanceof ApiError && error.status === 429) {
    return error.retryAfter ? `尝试次数过多，请 ${error.retryAfter} 秒后再试` : '尝试次数过多，请稍后再试';
  }
  return problemZh(error);
}

/** 登录: account and password (POST /session); the server sets the session cookie. */
export default function SignInPage() {
  const { caller, expired, signIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const target = returnPath(location.state);

  if (caller) return <Navigate to={target} replace />;

  const submit = async ({ account, password }: Credentials) => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn(account.trim(), password);
      await navigate(target, { replace: true });
    } catch (e) {
      setError(signInError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        {/* The page's one heading (level 1), at the size of a card's title. */}
        <Typography.Title level={1} style={{ textAlign: 'center', fontSize: 24 }}>
          环境信访投诉工作台
        </Typography.Title>
        {expired && !error && <Alert type="warning" showIcon title="登录已失效，请重新登录" style={{ marginBottom: 16 }} />}
        <Form<Credentials> layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
          <Form.Item label="账号" name="account" rules={[{ required: true, whitespace: true, message: '请输入账号' }]}>
            <Input autoComplete="username" autoFocus maxLength={100} />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
