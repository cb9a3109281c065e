import { Space, Tabs, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useCaller } from '../../session';
import { mayAccess, type Directory } from './access';

const pages: { key: Directory; label: string }[] = [
  { key: 'duty', label: '值班表' },
  { key: 'leaders', label: '包案领导' },
  { key: 'units', label: '单位' },
];

/** 通讯录's header: its pages the person may read, as tabs, and the page's own buttons. */
export function DirectoryNav({ current, extra }: { current: Directory; extra?: ReactNode }) {
  const { roles } = useCaller();
  const navigate = useNavigate();
  return (
    <Space orientation="vertical" size={0} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        通讯录
      </Typography.Title>
      <Tabs
        activeKey={current}
        onChange={(key) => void navigate(`/directory/${key}`)}
        items={pages.filter((p) => mayAccess(p.key, 'read', roles)).map((p) => ({ key: p.key, label: p.label }))}
        tabBarExtraContent={extra}
      />
    </Space>
  );
}
