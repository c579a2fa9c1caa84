import { Fragment } from 'react'

/**
 * Search snippets arrive with hits between two control characters; splitting on them lets React
 * escape every piece of stored text, and only the marks become markup.
 */
export function Highlighted({ text }: { text: string }) {
  const parts = text.split(/(\u0002[^\u0003]*\u0003)/g)
  return (
    <>
      {parts.map((part, index) =>
        part.startsWith('\u0002') ? <mark key={index}>{part.slice(1, -1)}</mark> : <Fragment key={index}>{part}</Fragment>,
      )}
    </>
  )
}
