import { App } from 'antd';
import type { ComponentType } from 'react';

/** The page under antd's App, so that its `App.useApp().message` takes the console's theme and locale. */
export function withApp(Page: ComponentType): ComponentType {
  return function WithApp() {
    return (
      <App component={false}>
        <Page />
      </App>
    );
  };
}
