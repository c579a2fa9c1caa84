import type { ReactNode } from 'react'

/**
 * The one wrapper for a table that may be wider than the screen: it scrolls sideways, takes
 * keyboard focus so it can be scrolled without a mouse, and is a region named by the table's
 * caption (never by a section heading, which would give two landmarks the same name).
 */
export function TableRegion({ captionId, children }: { captionId: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      {children}
    </div>
  )
}
