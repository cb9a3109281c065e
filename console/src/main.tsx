import 'dayjs/locale/zh-cn';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes, basename } from './router';
import { SessionProvider } from './session';

// Ant Design's date pickers and the console's own dates speak Chinese.
dayjs.locale('zh-cn');

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

createRoot(root).render(
  <StrictMode>
    {/* No space inserted between two characters of a button (受 理): its text stays the label itself. */}
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }}>
      <SessionProvider>
        <BrowserRouter basename={basename}>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </ConfigProvider>
  </StrictMode>,
);
