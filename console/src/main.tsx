import 'dayjs/locale/zh-cn';
// Ant Design's styles as one stylesheet, built by Ant Design (zeroRuntime below): no style is
// generated in the browser, which took about a fifth of 待办's first render (bench:console).
import 'antd/dist/antd.css';
// Its reset: no margin around the page, and box-sizing as its components expect.
import 'antd/dist/reset.css';
import { ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes, basename } from './router';
import { SessionProvider } from './session';

// Ant Design's date pickers and the console's own dates speak Chinese.
dayjs.locale('zh-cn');

/**
 * Ant Design's default colours with text at a contrast of 4.5:1 at least (WCAG AA, as axe checks):
 * white on its blue (#1677ff) is 4.1, its red on white 3.3, its secondary grey 3.4. These are the
 * next darker steps of its own palettes, and a grey of 60% black. Placeholders (a select's 全部)
 * are text a person reads too: 55% black is 4.7:1 where Ant Design's is 1.8.
 */
const theme: ThemeConfig = {
  // The colours below still apply: the stylesheet reads Ant Design's CSS variables, which the
  // ConfigProvider sets from these tokens.
  zeroRuntime: true,
  token: {
    colorPrimary: '#0958d9',
    colorInfo: '#0958d9',
    colorLink: '#0958d9',
    blue: '#0958d9',
    colorError: '#cf1322',
    colorTextSecondary: 'rgba(0, 0, 0, 0.6)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  },
};

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

createRoot(root).render(
  <StrictMode>
    {/* No space inserted between two characters of a button (受 理): its text stays the label itself. */}
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <SessionProvider>
        <BrowserRouter basename={basename}>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </ConfigProvider>
  </StrictMode>,
);
