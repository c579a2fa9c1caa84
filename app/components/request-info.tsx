import { createContext, useContext, useState } from 'react'

interface RequestInfo {
  nonce: string
  errorId: string | null
}

const RequestInfoContext = createContext<RequestInfo>({ nonce: '', errorId: null })
export const RequestInfoProvider = RequestInfoContext.Provider

/** The CSP nonce on the server; in the browser the nonce has done its job and is empty. */
export function useNonce(): string {
  return useContext(RequestInfoContext).nonce
}

/**
 * The id the server logged a failure under. The server renders it into the page; the browser
 * reads it back from there while hydrating, so both render the same text.
 */
export function useErrorId(): string | null {
  const fromServer = useContext(RequestInfoContext).errorId
  const [errorId] = useState(
    () =>
      fromServer ??
      (typeof document === 'undefined' ? null : (document.querySelector('[data-error-id]')?.getAttribute('data-error-id') ?? null)),
  )
  return errorId
}
