import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The frame of the pages the public opens without signing in: the bureau's name, one card. */
export function PublicFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'flex-start', justifyContent: 'center', background: '#f0f2f5', padding: '48px 16px' }}>
      <Card style={{ width: '100%', maxWidth: 560 }}>
        <Typography.Title level={1} style={{ fontSize: 22, textAlign: 'center' }}>
          {title}
        </Typography.Title>
        {children}
      </Card>
    </main>
  );
}
