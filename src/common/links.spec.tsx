import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import { ExternalLink } from './components/ExternalLink';
import { openSafeLink, safeLinkUrl } from './links';

describe('links from server data', () => {
  it('keeps http and https addresses', () => {
    expect(safeLinkUrl('https://gitlab.example/p/-/commit/abc')).toBe(
      'https://gitlab.example/p/-/commit/abc'
    );
    expect(safeLinkUrl('http://127.0.0.1:18795/p/-/pipelines/7')).toBe(
      'http://127.0.0.1:18795/p/-/pipelines/7'
    );
  });

  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example/x',
    '/lab/tree/x',
    'not a url',
    '',
    null,
    undefined
  ])('refuses %p', url => {
    expect(safeLinkUrl(url)).toBeNull();
  });

  it('renders an http(s) address as a link opening a new tab', () => {
    const html = renderToStaticMarkup(
      <ExternalLink url="https://gitlab.example/c/1" className="c">
        abc
      </ExternalLink>
    );
    expect(html).toBe(
      '<a class="c" href="https://gitlab.example/c/1" target="_blank" rel="noopener noreferrer">abc</a>'
    );
  });

  it('renders any other address as text, without a link', () => {
    const html = renderToStaticMarkup(
      <ExternalLink
        url="javascript:alert(1)"
        className="c"
        data={{ commit: 'abc' }}
      >
        abc
      </ExternalLink>
    );
    expect(html).toBe('<span class="c" data-commit="abc">abc</span>');
    expect(html).not.toContain('javascript');
  });

  describe('opening a link', () => {
    const opened: unknown[][] = [];
    const g = globalThis as { window?: unknown };
    const saved = g.window;
    // jest runs without a browser here: a window that records what it was asked to open
    beforeEach(() => {
      opened.length = 0;
      g.window = { open: (...args: unknown[]) => opened.push(args) };
    });
    afterEach(() => {
      g.window = saved;
    });

    it('opens a web page in a new tab that cannot reach back to JupyterLab', () => {
      expect(openSafeLink('https://gitlab.example/p/-/pipelines/7')).toBe(true);
      expect(opened).toEqual([
        ['https://gitlab.example/p/-/pipelines/7', '_blank', 'noopener']
      ]);
    });

    it.each(['javascript:alert(1)', 'data:text/html,x', '', null])(
      'opens nothing for %p',
      url => {
        expect(openSafeLink(url)).toBe(false);
        expect(opened).toEqual([]);
      }
    );
  });
});
