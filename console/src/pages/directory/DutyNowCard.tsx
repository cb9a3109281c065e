import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import { dutyZh, labelZh } from '../../labels';
import { formatTime } from '../../time';
import type { DutyNow } from '../../types';
import { loadFailure, type Loaded } from './lists';
import { dutyCodes } from './roster';

/** Who is on duty now (GET /duty/now): each duty's people, or 空缺 in red, a gap the bureau must fill. */
export function DutyNowCard({ now, district }: { now: Loaded<DutyNow>; district: string | undefined }) {
  return (
    <Card
      size="small"
      title={`现在值班（${district ?? '全局'}）`}
      extra={now.data && <Typography.Text type="secondary">截至 {formatTime(now.data.at)}</Typography.Text>}
    >
      {loadFailure('当前值班', now)}
      <Row gutter={16}>
        {dutyCodes.map((duty) => {
          const holders = now.data?.duties[duty] ?? [];
          return (
            <Col key={duty} xs={24} md={8}>
              <Space orientation="vertical" size={2}>
                <Typography.Text strong>{labelZh(dutyZh, duty)}</Typography.Text>
                {now.data && holders.length === 0 && <Tag color="red">空缺</Tag>}
                {holders.map((h) => (
                  <Typography.Text key={h.slotId}>
                    {h.name}（{h.accountId}）
                    <Typography.Text type="secondary">
                      {' '}
                      至 {formatTime(h.endsAt)}
                      {h.district === null && district ? ' · 全局替补' : ''}
                    </Typography.Text>
                  </Typography.Text>
                ))}
              </Space>
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}
