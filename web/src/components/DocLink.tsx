/**
 * A document's title, linked when its address is one a reader may follow (http(s) or a file on
 * this server, the server's own rule: src/domain/input.ts), opened in a new tab without giving it
 * this page (`rel="noopener noreferrer"`). A stored `javascript:` link from before the rule stays
 * plain text.
 */
import { isSafeLink } from '../../../src/domain/input.ts';

export function DocLink({ title, url }: { title: string; url?: string | null }) {
  if (!url || !isSafeLink(url)) return <>{title}</>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {title}
    </a>
  );
}
