import type { Page } from 'playwright-core';

/**
 * Runs in the page. Kept as source text: tsx would add its `__name` helper to a function passed
 * to `page.evaluate`, and the page has no such helper.
 */
const FIND_LOW_CONTRAST = `(min) => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const [r, g, b, a = 1] = rgb(getComputedStyle(e).backgroundColor);
      if (a > 0.99) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const offenders = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || !node.textContent.trim() || element.closest('[hidden], script, style, option')) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none' || element.getClientRects().length === 0) continue;
    const [l1, l2] = [luminance(rgb(style.color)), luminance(background(element))].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    if (ratio < min) offenders.push(node.textContent.trim().slice(0, 40) + ': ' + ratio.toFixed(2));
  }
  return offenders;
}`;

/**
 * Visible text on the page whose colour has less than `minimum` contrast (WCAG 2 ratio; AA is
 * 4.5 for body text) with the first opaque background behind it: `text: ratio` for each.
 */
export function lowContrastTexts(page: Page, minimum = 4.5): Promise<string[]> {
  return page.evaluate(`(${FIND_LOW_CONTRAST})(${Number(minimum)})`) as Promise<string[]>;
}
