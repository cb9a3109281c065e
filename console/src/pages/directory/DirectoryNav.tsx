import { Button, Space, Tabs, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useCaller } from '../../session';
import { mayAccess, rolesText, useAccess, type Directory } from './access';

const pages: { key: Directory; label: string }[] = [
  { key: 'duty', label: '值班表' },
  { key: 'leaders', label: '包案领导' },
  { key: 'units', label: '单位' },
];

interface Props {
  current: Directory;
  /** The page's add button (新增…), the primary one. */
  add: { label: string; onClick: () => void };
  /** Other buttons, before it. */
  more?: ReactNode;
}

/**
 * 通讯录's header: its pages the person may read, as tabs, and the page's buttons to one who may
 * edit it; to others, who keeps it.
 */
export function DirectoryNav({ current, add, more }: Props) {
  const { roles } = useCaller();
  const { edit } = useAccess(current);
  const navigate = useNavigate();
  const addButton = (
    <Button type="primary" onClick={add.onClick}>
      {add.label}
    </Button>
  );
  const actions = more ? (
    <Space>
      {more}
      {addButton}
    </Space>
  ) : (
    addButton
  );
  return (
    <Space orientation="vertical" size={0} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        通讯录
      </Typography.Title>
      <Tabs
        activeKey={current}
        onChange={(key) => void navigate(`/directory/${key}`)}
        items={pages.filter((p) => mayAccess(p.key, 'read', roles)).map((p) => ({ key: p.key, label: p.label }))}
        tabBarExtraContent={edit ? actions : <Typography.Text type="secondary">仅供查看，由{rolesText(current, 'edit')}维护</Typography.Text>}
      />
    </Space>
  );
}
