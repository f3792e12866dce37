import type { Child } from 'hono/jsx';
import type { Assets } from './assets.js';
import { useViewer } from './viewer.js';

export type Section = 'search' | 'chat' | 'status' | 'repo' | 'account' | 'admin' | null;

export interface LayoutProps {
  title: string;
  section: Section;
  assets: Assets;
  /** The page's island, a web/src entry name. */
  script?: string;
  children: Child;
}

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'search', href: '/', label: 'Search' },
  { section: 'chat', href: '/chat', label: 'Chat' },
  { section: 'status', href: '/status', label: 'Status' },
];

/** Every page's shell: skip link, header with the main navigation, one <main>, the page's island. */
export function Layout(props: LayoutProps) {
  const style = props.assets.style('styles');
  const script = props.assets.script(props.script ?? 'page');
  const viewer = useViewer();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${props.title} · gitlore`}</title>
        {style && <link rel="stylesheet" href={style} />}
        {script?.preload.map((href) => (
          <link rel="modulepreload" href={href} />
        ))}
        {script && <script type="module" src={script.src} />}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            gitlore
          </a>
          <nav aria-label="Main">
            <ul>
              {NAV.map((item) => (
                <li>
                  <a href={item.href} aria-current={item.section === props.section ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {viewer && (
            <nav aria-label="Account" class="account-nav">
              <span class="who">{viewer.email ?? viewer.name ?? viewer.githubLogin ?? 'Signed in'}</span>
              <ul>
                <li>
                  <a href="/account" aria-current={props.section === 'account' ? 'page' : undefined}>
                    Account
                  </a>
                </li>
                {viewer.role === 'admin' && (
                  <li>
                    <a href="/admin" aria-current={props.section === 'admin' ? 'page' : undefined}>
                      Admin
                    </a>
                  </li>
                )}
              </ul>
            </nav>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}
