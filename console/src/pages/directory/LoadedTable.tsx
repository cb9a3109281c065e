import { Space, Table, type TableProps } from 'antd';
import { loadFailure, type Loaded } from './lists';

/**
 * A directory page's table of what a GET loaded: spinning while it loads, its failure above it.
 * In a Space of its own, so the page's gap parts the two only when the failure shows.
 */
export function LoadedTable<Row extends object>({ what, loaded, ...table }: TableProps<Row> & { what: string; loaded: Loaded<unknown> }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {loadFailure(what, loaded)}
      <Table<Row> rowKey="id" size="middle" loading={loaded.loading} {...table} />
    </Space>
  );
}
