import type { Metadata } from 'next';
import { TaskBoard } from '@/components/task-board';
import { serverEnv } from '@/lib/env';
import { requireSession } from '@/lib/session';

export const metadata: Metadata = { title: 'Your tasks · authbridge' };

export default async function DashboardPage() {
  // The real check: proxy.ts only looked for a cookie.
  const { user } = await requireSession('/dashboard');
  return (
    <section className="card" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Your tasks</h1>
      <p className="muted">Signed in as {user.email}</p>
      {/* The API origin comes from the server at request time, not from the build. */}
      <TaskBoard apiUrl={serverEnv().apiUrl} userId={user.id} />
    </section>
  );
}
