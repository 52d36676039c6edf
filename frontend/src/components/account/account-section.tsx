import type { ReactNode } from 'react';

interface AccountSectionProps {
  /** The section's id stem: its heading is `${id}-title`. */
  id: string;
  title: string;
  children: ReactNode;
}

/** One titled part of the /account page (name, password, sessions, deletion). */
export function AccountSection({ id, title, children }: AccountSectionProps) {
  return (
    <section className="account-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}
