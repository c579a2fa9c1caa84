// Shared by the server (hashing) and forms (minlength hints); no secrets here.
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256
