import { db } from '../../db/client'
import { SNAPSHOT_FIELDS, failureModesOf, phasesOf } from './case-content.server'

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  summary: 'Summary',
  level: 'Level of government',
  domain: 'Domain',
  outcome: 'Outcome',
  jurisdiction: 'Jurisdiction',
  budget_band: 'Budget',
  contract_model: 'Contract model',
  years: 'Years',
  outcome_detail: 'Outcome detail',
  what_happened_md: 'What happened',
  root_causes_json: 'Root causes',
  lessons_json: 'Lessons learned',
  recommendations_json: 'Recommendations',
  corrective_actions_json: 'Corrective actions',
  sources_json: 'Sources',
  failure_modes: 'Failure modes',
  phases: 'Phases',
}

/** A snapshot's fields as plain text, so two versions compare field by field. */
function readable(snapshot: Record<string, unknown>): Record<string, string> {
  const text: Record<string, string> = {}
  for (const [field, value] of Object.entries(snapshot)) {
    if (!(field in FIELD_LABELS)) continue
    if (field === 'failure_modes') {
      text[field] = (value as { slug: string; how: string; is_primary: number; avoided?: number }[])
        .map((m) => `${m.avoided ? 'Avoided' : m.is_primary ? 'Primary' : 'Contributing'}: ${m.slug}: ${m.how}`)
        .join('\n')
    } else if (field === 'phases') {
      text[field] = (value as string[]).join(', ')
    } else if (field.endsWith('_json')) {
      text[field] = (JSON.parse(String(value)) as unknown[])
        .map((item) => (typeof item === 'string' ? item : Object.values(item as object).filter(Boolean).join(', ')))
        .map((line) => `• ${line}`)
        .join('\n')
    } else {
      text[field] = String(value ?? '')
    }
  }
  return text
}

export interface CaseVersion {
  label: string
  createdAt: string
  note: string | null
  /** What this version changed from the one before it; empty for the first. */
  changes: { field: string; before: string; after: string }[]
}

/**
 * The case's versions, newest first, each with the fields it changed. Earlier versions come
 * from the snapshots kept at every edit of a published case.
 */
export async function getCaseHistory(caseId: number): Promise<CaseVersion[]> {
  const current = await db
    .selectFrom('cases')
    .select([...SNAPSHOT_FIELDS, 'created_at', 'published_at'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow()
  const modes = await failureModesOf(db, caseId)
  const phases = await phasesOf(db, caseId)
  const revisions = await db
    .selectFrom('case_revisions')
    .select(['snapshot_json', 'note', 'created_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute()
  // Oldest first: each revision holds the text as it was before the edit made at created_at.
  const texts = [...revisions.map((r) => readable(JSON.parse(r.snapshot_json))), readable({ ...current, failure_modes: modes, phases })]
  const versions: CaseVersion[] = texts.map((text, index) => {
    const before = index > 0 ? texts[index - 1] : null
    return {
      label: index === texts.length - 1 ? `Version ${index + 1} (current)` : `Version ${index + 1}`,
      createdAt: index === 0 ? current.published_at ?? current.created_at : revisions[index - 1].created_at,
      note: index > 0 ? revisions[index - 1].note : null,
      changes: before
        ? Object.keys(FIELD_LABELS)
            .filter((field) => (before[field] ?? '') !== (text[field] ?? ''))
            .map((field) => ({ field: FIELD_LABELS[field], before: before[field] ?? '', after: text[field] ?? '' }))
        : [],
    }
  })
  return versions.reverse()
}
