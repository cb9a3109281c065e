import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import WorkPage from './pages/WorkPage';
import { PageSpin, RequireSession, Shell } from './Shell';

// Pages load when first visited, but for 待办, where everyone lands: lazy, it would be fetched only
// once the main code has run, and React holds a page back that long after its fallback showed
// (Suspense's reveal throttle, about 300 ms): bench:console saw both in the queue's time.
const SignInPage = lazy(() => import('./pages/SignInPage'));
const SearchPage = lazy(() => import('./pages/SearchPage'));
const CasePage = lazy(() => import('./pages/CasePage'));
const ReportsPage = lazy(() => import('./pages/ReportsPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const LeadersPage = lazy(() => import('./pages/directory/LeadersPage'));
const UnitsPage = lazy(() => import('./pages/directory/UnitsPage'));
const DutyPage = lazy(() => import('./pages/directory/DutyPage'));
const InboxPage = lazy(() => import('./pages/InboxPage'));
const StatusPage = lazy(() => import('./pages/public/StatusPage'));
const SurveyPage = lazy(() => import('./pages/public/SurveyPage'));

/** A page that loads when first visited, outside the shell (which has a Suspense of its own). */
const loaded = (page: ReactNode) => <Suspense fallback={<PageSpin />}>{page}</Suspense>;

/** Served under /console/ (vite.config.mts `base`); the API answers index.html for every client route. */
export const basename = import.meta.env.BASE_URL.replace(/\/$/, '');

/**
 * The console's pages. Declarative routes (BrowserRouter, not a data router): the pages load their
 * own data, and the data router's code would add about 20 KB gzipped to the first load.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={loaded(<SignInPage />)} />
      {/* The public's pages: no sign-in. */}
      <Route path="/status" element={loaded(<StatusPage />)} />
      <Route path="/survey/:token" element={loaded(<SurveyPage />)} />
      <Route
        element={
          <RequireSession>
            <Shell />
          </RequireSession>
        }
      >
        <Route index element={<WorkPage />} />
        <Route path="cases" element={<SearchPage />} />
        <Route path="cases/:id" element={<CasePage />} />
        <Route path="reports" element={<ReportsPage />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="directory" element={<Navigate to="duty" replace />} />
        <Route path="directory/leaders" element={<LeadersPage />} />
        <Route path="directory/units" element={<UnitsPage />} />
        <Route path="directory/duty" element={<DutyPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
