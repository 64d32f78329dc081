import { describe, expect, it } from 'vitest';
import { liquidToMarkdown, siteAddresses } from '../../src/server/content-io/liquid.ts';

describe('Liquid tags of a static docs site, as Markdown', () => {
  it('writes page and site links as the addresses they name, and channels, images and files as Markdown', () => {
    expect(liquidToMarkdown('See [Travel 101]({% page "/travel-101/" %}) and [leave]({% page "/travel-and-leave/leave/#fmla" %}).'))
      .toBe('See [Travel 101](/travel-101/) and [leave](/travel-and-leave/leave/#fmla).');
    expect(liquidToMarkdown('[Conduct]({% link "about-us/code-of-conduct" %})')).toBe('[Conduct](/about-us/code-of-conduct)');
    expect(liquidToMarkdown('- Ask in {% slack_channel "people-ops" %} or {%- slack_channel \'parents\' -%}')).toBe('- Ask in #people-ops or #parents');
    expect(liquidToMarkdown('{% image "_img/travel/2.png" "choosing destination city" %}')).toBe('![choosing destination city](_img/travel/2.png)');
    expect(liquidToMarkdown('{% image_with_class "_img/cal.png" "border" "calendar settings" %}')).toBe('![calendar settings](_img/cal.png)');
    expect(liquidToMarkdown('{% download "files/form.pdf" %}')).toBe('[form.pdf](files/form.pdf)');
  });

  it('drops comments and the site\'s own templates, and makes an alert a quote', () => {
    expect(liquidToMarkdown('A{% comment %} not shown\n{% page "/x/" %} {% endcomment %}B')).toBe('AB');
    expect(liquidToMarkdown('Before\n{% include "low-system.html" %}\nAfter')).toBe('Before\n\nAfter');
    expect(liquidToMarkdown('{% alert "Heads up!" %}\n  Use the **form**.\n  Then wait.\n{% endalert %}\nNext'))
      .toBe('> **Heads up!**\n>\n> Use the **form**.\n> Then wait.\n\nNext');
    expect(liquidToMarkdown('{% alert %}\n  Only a body.\n{% endalert %}')).toBe('> Only a body.\n');
  });

  it("drops the site's base path before an address: an import is the site's root", () => {
    expect(liquidToMarkdown('[BD]({{site.base_url}}/18f-bd/) and [Software]({{ base.baseurl }}/software/) and <a href="{{- site.baseurl -}}/x/">x</a>'))
      .toBe('[BD](/18f-bd/) and [Software](/software/) and <a href="/x/">x</a>');
    expect(liquidToMarkdown('[a]({{ site.baseurl }}/a/) then [b]({% page "/b/" %})')).toBe('[a](/a/) then [b](/b/)');
    // Not before an address, in code, in a raw block, or another variable: as written.
    for (const text of ['Base: {{ site.baseurl }}.', 'Write `{{ site.baseurl }}/x/`.', '```\n[x]({{ site.baseurl }}/x/)\n```', '<p>{{ message }}/2</p>']) expect(liquidToMarkdown(text)).toBe(text);
    expect(liquidToMarkdown('{% raw %}{{ site.baseurl }}/x/{% endraw %}')).toBe('{{ site.baseurl }}/x/');
  });

  it('leaves examples as written: in code, inside raw, and tags it does not know', () => {
    const fenced = '```\n[x]({% page "/a/" %})\n```';
    expect(liquidToMarkdown(fenced)).toBe(fenced);
    expect(liquidToMarkdown('Write `{% slack_channel "x" %}` for a channel.')).toBe('Write `{% slack_channel "x" %}` for a channel.');
    expect(liquidToMarkdown('{% raw %}{% alert %}\nText\n{% endalert %} and {% page "/a/" %}{% endraw %}')).toBe('{% alert %}\nText\n{% endalert %} and {% page "/a/" %}');
    expect(liquidToMarkdown('{% for item in list %}{{ item }}{% endfor %}')).toBe('{% for item in list %}{{ item }}{% endfor %}');
    // A raw block inside a code block: the code block stays whole, and so does what follows it.
    expect(liquidToMarkdown('```\n{% raw %}{% include "x.html" %}{% endraw %}\n```\n\n[Next]({% page "/next/" %})'))
      .toBe('```\n{% include "x.html" %}\n```\n\n[Next](/next/)');
    // Whatever marks a raw block while the rest is converted is not a character of the text.
    expect(liquidToMarkdown('\u{E000}0\u{E000} {% raw %}{% page "/y/" %}{% endraw %} {% page "/x/" %}')).toBe('\u{E000}0\u{E000} {% page "/y/" %} /x/');
    expect(liquidToMarkdown('No tags at all: 100% sure.')).toBe('No tags at all: 100% sure.');
  });
});

describe('hostile Liquid', () => {
  // Each opening that nothing closes would be read to the end of the text once: 100,000 of them in
  // a 1.4 MB file took minutes before openings after the last closing tag were left untried.
  it.each([
    ['comments', '{% comment %} '],
    ['alerts', '{% alert %}\n'],
    ['raw blocks', '{% raw %} '],
    ['tags', '{% page "x" '],
  ])('leaves 100,000 unclosed %s as written, in bounded time', (_, opening) => {
    const text = `{% endcomment %}{% endalert %}{% endraw %} %} ${opening.repeat(100_000)}`;
    expect(liquidToMarkdown(text)).toBe(text);
  });
});

describe('a page\'s site addresses', () => {
  it('reads permalink and redirect_from without their slashes, and nothing else', () => {
    expect(siteAddresses({ permalink: '/training-and-development/', redirect_from: ['/july-13-travel-guidance/', '/old/path'] }))
      .toEqual(['training-and-development', 'july-13-travel-guidance', 'old/path']);
    expect(siteAddresses({ redirect_from: '/one/' })).toEqual(['one']);
    expect(siteAddresses({ permalink: 42, redirect_from: [{ a: 1 }, '/'] })).toEqual([]);
  });
});
