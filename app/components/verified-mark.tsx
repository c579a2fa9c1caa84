/** The "Verified government email" mark beside a member's name: words and an icon, never colour alone. */
export function VerifiedMark() {
  return (
    <span className="verified-mark">
      <svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">
        <path d="M8 1l2 1.5 2.5-.2.7 2.4 2 1.5-.9 2.3.9 2.3-2 1.5-.7 2.4-2.5-.2L8 15l-2-1.5-2.5.2-.7-2.4-2-1.5.9-2.3-.9-2.3 2-1.5.7-2.4 2.5.2z" fill="currentColor" />
        <path d="M5 8.2l2 2 4-4.2" fill="none" stroke="#fff" strokeWidth="1.8" />
      </svg>
      Verified government email
    </span>
  )
}
