import { GOVERNMENT_LEVELS, MEMBER_TYPES } from '../../db/schema'
import { GOVERNMENT_LEVEL_LABELS, MEMBER_TYPE_LABELS } from '../lib/member-labels'
import { SelectField } from './forms'

/** The member-type and level-of-government filters both member searches offer. */
export function MemberKindFilters({ typeName, memberType, level }: { typeName: string; memberType?: string | null; level?: string | null }) {
  return (
    <>
      <SelectField
        name={typeName}
        label="Member type"
        placeholder="Any type"
        defaultValue={memberType ?? ''}
        options={MEMBER_TYPES.map((value) => ({ value, label: MEMBER_TYPE_LABELS[value] }))}
      />
      <SelectField
        name="level"
        label="Level of government"
        placeholder="Any level"
        defaultValue={level ?? ''}
        options={GOVERNMENT_LEVELS.map((value) => ({ value, label: GOVERNMENT_LEVEL_LABELS[value] }))}
      />
    </>
  )
}
