import type { Assets } from './assets.js';
import { Layout, type Section } from './layout.js';

/** A page that only says something: not found, an error with its hint, a page still to come. */
export function MessagePage(props: { assets: Assets; title: string; message: string; hint?: string; section?: Section }) {
  return (
    <Layout title={props.title} section={props.section ?? null} assets={props.assets}>
      <div class="message">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.hint && <p class="hint">{props.hint}</p>}
        <p>
          <a href="/">Search code</a>
        </p>
      </div>
    </Layout>
  );
}
