import * as React from 'react';

import { safeLinkUrl } from '../links';

/** Props of `ExternalLink`. */
export interface IExternalLinkProps {
  /** The address as the server sent it. */
  url: string | null | undefined;
  className?: string;
  title?: string;
  children?: React.ReactNode;
  /** Extra attributes of the link or of the text shown instead (data-*). */
  data?: Record<string, string | number>;
}

/**
 * A link to a page outside JupyterLab, opened in a new tab; an address that is not http(s) (or
 * none) shows the same content as text, so nothing from the server runs when clicked.
 */
export function ExternalLink(props: IExternalLinkProps): JSX.Element {
  const href = safeLinkUrl(props.url);
  const data = Object.fromEntries(
    Object.entries(props.data ?? {}).map(([k, v]) => [`data-${k}`, v])
  );
  if (!href) {
    return (
      <span className={props.className} title={props.title} {...data}>
        {props.children}
      </span>
    );
  }
  return (
    <a
      className={props.className}
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      title={props.title}
      {...data}
    >
      {props.children}
    </a>
  );
}
