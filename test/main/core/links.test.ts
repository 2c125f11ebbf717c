import { describe, expect, it } from 'vitest';
import { checkLink } from '../../../src/main/core/links';

describe('links from replies', () => {
  it.each(['https://example.com/docs?q=1#top', 'http://localhost:8080/', 'mailto:someone@example.com'])(
    'opens %s',
    (url) => {
      expect(checkLink(url)).toEqual({ ok: true, url: new URL(url).href });
    },
  );

  it.each([
    ['file:///etc/passwd', /only web and mail links; this one is file:/],
    ['javascript:alert(1)', /this one is javascript:/],
    ['vscode://open?file=x', /this one is vscode:/],
    ['https://user:pass@example.com/', /user name or password/],
    ['not a url', /not a complete web address/],
  ])('refuses %s with the reason', (url, reason) => {
    const checked = checkLink(url);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toMatch(reason);
  });
});
