/** How long an old handle stays the member's (redirects, mentions) and nobody else's. */
export const HANDLE_RESERVATION_DAYS = 365
/** Old handles one member may hold at a time, so nobody can hoard handles by renaming. */
export const MAX_RESERVED_HANDLES = 5
