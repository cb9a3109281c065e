import { Badge, Button, Layout, Result, Space, Spin, Typography } from 'antd';
import { Suspense, type ReactNode } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { mayAccess } from '../../lib/directory-access';
import { mayReadReports } from '../../lib/report-access';
import { labelZh, problemZh, roleZh } from './labels';
import { useUnread } from './inbox';
import { useSession } from './session';

export function PageSpin() {
  return (
    <div style={{ padding: 64, textAlign: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** The pages behind sign-in: whoever is not signed in is sent to it, and comes back after. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { caller, loadError, reload } = useSession();
  const location = useLocation();
  if (loadError) {
    return (
      <Result
        status="warning"
        title="无法读取登录状态"
        subTitle={problemZh(loadError)}
        extra={
          <Button type="primary" onClick={reload}>
            重试
          </Button>
        }
      />
    );
  }
  if (caller === undefined) return <PageSpin />;
  if (caller === null) return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return children;
}

/**
 * The header's navigation: links to the pages each role may use, styled like Ant Design's dark
 * menu. Plain links rather than its Menu component, which would add about 20 KB gzipped to every
 * first load.
 */
const nav: { to: string; label: string; end: boolean; shown?: (roles: readonly string[]) => boolean }[] = [
  { to: '/', label: '待办', end: true },
  { to: '/cases', label: '案件查询', end: false },
  { to: '/reports', label: '报表', end: false, shown: mayReadReports },
  // 通讯录 opens at the duty roster, which every member of staff reads.
  { to: '/directory', label: '通讯录', end: false, shown: (roles) => mayAccess('duty', 'read', roles) },
];

function navStyle({ isActive }: { isActive: boolean }) {
  return {
    color: isActive ? '#fff' : 'rgba(255, 255, 255, 0.65)',
    // The theme's primary blue (main.tsx): white on it is legible (4.5:1 at least).
    background: isActive ? '#0958d9' : 'transparent',
    // Not Ant Design's fading link colour: a tab being left would read pale on the blue meanwhile.
    transition: 'none',
    padding: '0 16px',
    display: 'inline-block',
    lineHeight: '64px',
  };
}

export function Shell() {
  const { caller, signOut } = useSession();
  const navigate = useNavigate();
  const roles = (caller?.roles ?? []).map((role) => labelZh(roleZh, role)).join('、');
  const unread = useUnread();
  const leave = async () => {
    await signOut().catch(() => undefined);
    await navigate('/login');
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 16, whiteSpace: 'nowrap' }}>
          环境信访投诉工作台
        </Typography.Text>
        <nav aria-label="主导航" style={{ flex: 1, minWidth: 0 }}>
          {nav
            .filter((item) => item.shown?.(caller?.roles ?? []) ?? true)
            .map((item) => (
              <NavLink key={item.to} to={item.to} end={item.end} style={navStyle}>
                {item.label}
              </NavLink>
            ))}
        </nav>
        <Space>
          <NavLink to="/inbox" style={navStyle} aria-label={unread > 0 ? `消息，${unread} 条未读` : '消息'}>
            消息
            {/* Red-7, not the default red: white on it is legible (4.5:1 at least). */}
            {unread > 0 && <Badge count={unread} size="small" color="#cf1322" style={{ marginLeft: 6, boxShadow: 'none' }} />}
          </NavLink>
          <Typography.Text style={{ color: '#fff' }}>
            {caller?.name ?? caller?.id}（{roles}）
          </Typography.Text>
          <Button size="small" onClick={() => void leave()}>
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <Suspense fallback={<PageSpin />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}
