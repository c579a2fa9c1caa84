import type { ShouldRevalidateFunction } from '@remix-run/react'

/** A live preview saves nothing, so the page's data need not reload after each one. */
export const skipRevalidationAfterPreview: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction === '/discussions/preview' ? false : defaultShouldRevalidate
