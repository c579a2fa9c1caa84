import { GOVERNMENT_LEVELS, type GovernmentLevel, MEMBER_TYPES, type MemberType } from '../../db/schema'

/** The directory's view from its address; a value that is not one of the choices is ignored. */
export function readDirectoryQuery(url: URL) {
  const param = (name: string) => url.searchParams.get(name)?.trim() ?? ''
  const oneOf = <T extends string>(values: readonly T[], value: string): T | null => (values.includes(value as T) ? (value as T) : null)
  const slug = (value: string) => (/^[a-z0-9-]{1,80}$/.test(value) ? value : null)
  const page = Number.parseInt(param('page'), 10)
  return {
    q: param('q').slice(0, 100),
    memberType: oneOf<MemberType>(MEMBER_TYPES, param('type')),
    level: oneOf<GovernmentLevel>(GOVERNMENT_LEVELS, param('level')),
    verified: param('verified') === 'yes',
    mode: slug(param('mode')),
    domain: slug(param('domain')),
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  }
}

export type DirectoryFilters = ReturnType<typeof readDirectoryQuery>

/** The address of a directory view: only the filters that are set, so links stay short. */
export function directoryPath(filters: Partial<DirectoryFilters>, page = 1): string {
  const params = new URLSearchParams()
  if (filters.q) params.set('q', filters.q)
  if (filters.memberType) params.set('type', filters.memberType)
  if (filters.level) params.set('level', filters.level)
  if (filters.verified) params.set('verified', 'yes')
  if (filters.mode) params.set('mode', filters.mode)
  if (filters.domain) params.set('domain', filters.domain)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `/members?${query}` : '/members'
}
