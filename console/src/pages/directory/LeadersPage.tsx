import { App, Button, Result, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { escalationTierZh, labelZh, ownerKindZh } from '../../labels';
import type { LeaderRow, UnitRow } from '../../types';
import { rolesText, useAccess } from './access';
import { DirectoryNav } from './DirectoryNav';
import { LeaderDialog } from './LeaderDialog';
import { districtsOf, useLoad } from './lists';
import { LoadedTable } from './LoadedTable';
import { withApp } from './with-app';

/** Highest tier first, then the system leaders (every district) before the districts' own. */
const byTier = (a: LeaderRow, b: LeaderRow) => b.tier - a.tier || (a.district ?? '').localeCompare(b.district ?? '') || a.name.localeCompare(b.name, 'zh-CN');

/** 包案领导: the escalation directory the workflow draws owners from (GET /leaders), kept by those PUT /leaders allows. */
function Leaders() {
  const access = useAccess('leaders');
  const { message } = App.useApp();
  const leaders = useLoad<{ leaders: LeaderRow[] }>('/leaders');
  const units = useLoad<{ units: UnitRow[] }>('/units');
  // undefined: closed; null: adding; a row: editing it.
  const [editing, setEditing] = useState<LeaderRow | null>();
  const rows = useMemo(() => [...(leaders.data?.leaders ?? [])].sort(byTier), [leaders.data]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <DirectoryNav current="leaders" add={{ label: '新增领导', onClick: () => setEditing(null) }} />
      <LoadedTable<LeaderRow>
        what="包案名录"
        loaded={leaders}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => `共 ${total} 人` }}
        locale={{ emptyText: '包案名录还没有领导' }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '账号', dataIndex: 'id' },
          { title: '包案层级', dataIndex: 'tier', render: (tier: number) => labelZh(escalationTierZh, String(tier)) },
          {
            title: '包案类型',
            key: 'kind',
            render: (_: unknown, l) => labelZh(ownerKindZh, l.district ? 'territorial' : 'system'),
          },
          {
            title: '区县',
            dataIndex: 'district',
            render: (district: string | null) => district ?? <Typography.Text type="secondary">全部区县</Typography.Text>,
          },
          { title: '状态', dataIndex: 'active', render: (active: boolean) => (active ? <Tag color="green">在任</Tag> : <Tag>停用</Tag>) },
          ...(access.edit
            ? [
                {
                  title: '操作',
                  key: 'edit',
                  render: (_: unknown, l: LeaderRow) => (
                    <Button size="small" aria-label={`编辑 ${l.name}`} onClick={() => setEditing(l)}>
                      编辑
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing !== undefined && (
        <LeaderDialog
          leader={editing ?? undefined}
          taken={new Set(rows.map((l) => l.id))}
          districts={districtsOf(units.data?.units)}
          onClose={() => setEditing(undefined)}
          onSaved={(saved) => {
            setEditing(undefined);
            void message.success(`已保存：${saved.name}`);
            leaders.reload();
          }}
        />
      )}
    </Space>
  );
}

const LeadersWithApp = withApp(Leaders);

export default function LeadersPage() {
  const access = useAccess('leaders');
  if (!access.read) return <Result status="403" title="无权查看包案领导名录" subTitle={`包案名录仅${rolesText('leaders', 'read')}可见。`} />;
  return <LeadersWithApp />;
}
