// Which WCAG 2.1 success criteria a test checks, recorded as Playwright annotations; the
// conformance reporter (wcag-reporter.ts) turns them and the outcomes into
// content/accessibility/conformance.json, which /accessibility publishes.
import { test } from '@playwright/test'

export function checksWcag(...criteria: string[]) {
  for (const criterion of criteria) test.info().annotations.push({ type: 'wcag', description: criterion })
}

/**
 * The criteria axe-core's WCAG 2.1 A and AA rules test (expectNoAxeViolations), so a page scan
 * records them. Each has at least one axe rule: image-alt, list/th/label structure, color-contrast,
 * link-in-text-block, bypass, document-title, link-name, html-has-lang, valid-lang, label,
 * autocomplete-valid, meta-viewport, scrollable-region-focusable and the ARIA name/role rules.
 */
export const AXE_CRITERIA = ['1.1.1', '1.3.1', '1.3.5', '1.4.1', '1.4.3', '2.1.1', '2.4.1', '2.4.2', '2.4.4', '3.1.1', '3.1.2', '3.3.2', '4.1.2']
