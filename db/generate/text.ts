import type { Random } from './random'

// Word banks for synthetic but plausible community content. Every generated text mentions the
// SEARCH_WORD often enough that a site search for it finds discussions, cases and events.

export const SEARCH_WORD = 'cutover'

export const FIRST_NAMES = [
  'aisha', 'alex', 'amara', 'ana', 'andre', 'anil', 'ben', 'bianca', 'carla', 'carlos', 'chen', 'chris',
  'dana', 'daniel', 'deepa', 'diego', 'elena', 'emeka', 'erin', 'fatima', 'felix', 'grace', 'hana', 'hector',
  'ian', 'imani', 'jamal', 'jana', 'jordan', 'jose', 'julia', 'kai', 'karen', 'kenji', 'laila', 'leo',
  'lucia', 'maya', 'mei', 'miguel', 'nadia', 'nate', 'nia', 'noah', 'olga', 'omar', 'priya', 'quinn',
  'rafael', 'rana', 'ravi', 'rosa', 'sam', 'sara', 'sean', 'sofia', 'tariq', 'tess', 'tomas', 'uma',
  'victor', 'wen', 'yara', 'yusuf', 'zoe', 'martin', 'ingrid', 'kofi', 'lena', 'marco', 'petra', 'ruth',
] as const

export const LAST_NAMES = [
  'abara', 'adams', 'ahmed', 'alvarez', 'baker', 'banerjee', 'becker', 'bell', 'brooks', 'campbell', 'chavez', 'cho',
  'clark', 'cohen', 'cruz', 'das', 'diaz', 'dubois', 'edwards', 'evans', 'fischer', 'flores', 'garcia', 'gomez',
  'gupta', 'hall', 'hansen', 'harris', 'hughes', 'ibrahim', 'ito', 'jackson', 'jensen', 'johnson', 'kim', 'king',
  'kowalski', 'kumar', 'larsen', 'lee', 'lopez', 'martin', 'mendes', 'miller', 'moreno', 'murphy', 'nakamura', 'nguyen',
  'novak', 'obi', 'okafor', 'olsen', 'ortiz', 'park', 'patel', 'perez', 'reyes', 'rossi', 'sato', 'schmidt',
  'shah', 'silva', 'singh', 'smith', 'tanaka', 'taylor', 'torres', 'walker', 'wang', 'weber', 'wilson', 'young',
] as const

export const ORGANIZATIONS = [
  'a mid-size county human services agency',
  'a state department of labor',
  'a large city IT department',
  'a federal benefits agency',
  'a state revenue department',
  'a regional transit authority',
  'a state health and human services agency',
  'a county courts administration',
  'a school district central office',
  'a state department of motor vehicles',
  'a national statistics office',
  'a public health department',
  'a tribal nation government',
  'a municipal permitting office',
  'a state child welfare agency',
  'a systems integrator',
  'an independent advisory practice',
  'a civic technology non-profit',
  'a university public policy lab',
  'a state CIO office',
]

export const TIME_ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix',
  'America/Anchorage', 'Pacific/Honolulu', 'America/Toronto', 'Europe/London', 'Europe/Berlin',
  'Australia/Sydney', 'Pacific/Auckland', 'UTC',
]

const SYSTEMS = [
  'payroll system', 'eligibility platform', 'case management system', 'unemployment insurance system',
  'tax modernization', 'ERP rollout', 'permitting portal', 'student information system', 'digital identity service',
  'grants management system', 'licensing system', 'data warehouse', 'benefits portal', 'records management system',
  'contact center platform', 'child welfare system', 'court e-filing system', '911 dispatch system',
  'vital records system', 'fare collection system', 'Medicaid enterprise system', 'procurement platform',
]

const STAGES = [
  SEARCH_WORD, 'go-live', 'procurement', 'requirements work', 'user acceptance testing', 'data migration',
  'rollout', 'pilot', 'vendor transition', 'stabilization period', 'discovery phase', 'budget request',
]

const STAKEHOLDERS = [
  'frontline caseworkers', 'the program office', 'the budget office', 'our executive sponsor', 'the vendor',
  'the union', 'legal counsel', 'the auditors', 'county partners', 'call center staff', 'the legislature',
  'the privacy office', 'service users', 'the security team',
]

const PROBLEMS = [
  'defect backlogs that never shrink', 'change requests eating the contingency', 'conversion errors in legacy data',
  'status reports that stay green until the week before launch', 'interfaces nobody owns', 'training that came too late',
  'a sponsor who stopped attending steering meetings', 'requirements written from the old screens',
  'performance problems at realistic load', 'staff working around the new system', 'a contract that pays for documents, not working software',
]

const THREAD_TEMPLATES = [
  'How did you handle {stakeholder} during the {system} {stage}?',
  '{Stage} for a {system}: what would you do differently?',
  'Lessons from our {system} {stage}',
  'Is anyone else seeing {problem}?',
  'When the sponsor leaves mid-{stage}: what now?',
  'Getting {stakeholder} involved before the {stage}',
  'Rehearsing the {stage}: how many dress rehearsals is enough?',
  'Our {system} {stage} slipped again. How do we reset honestly?',
  'Writing outcome measures for a {system} before the {stage}',
  'What should a go/no-go checklist for a {system} {stage} include?',
  'Splitting a big-bang {system} into releases',
  'Who owns the data when the {system} {stage} crosses agencies?',
  'Managing a vendor to outcomes on a {system}',
  'Practical ways to test a {system} with real users',
  'Funding a {system} as a product instead of a project',
]

const SENTENCES = [
  'We went into the {stage} believing the {system} was ready because every milestone report said so.',
  'The hardest part was not the technology but getting {stakeholder} to agree on what done meant.',
  'Our first {SEARCH} rehearsal took three times longer than the plan allowed, which was the most useful thing we learned all year.',
  'In hindsight we should have asked {stakeholder} to walk through real cases much earlier.',
  'The contract paid on deliverables, so we got documents on time and working software late.',
  'We kept a running list of assumptions and tested the riskiest one every sprint.',
  'Data quality problems in the legacy system surfaced only when we tried to convert a full year of records.',
  'Once we published the defect numbers openly, the conversation with leadership changed completely.',
  'A small team that owned the product end to end moved faster than the steering committee ever did.',
  'We budgeted for licences and forgot to budget for the people who would run the {system} afterwards.',
  'The pilot with two offices caught problems that months of scripted testing had missed.',
  'Nobody owned the interface between the eligibility rules and the payment engine, so nobody fixed it.',
  'We moved the {SEARCH} date twice, and each move was the right call even though it hurt.',
  'Training was scheduled for the week before go-live, which meant nobody remembered it when it mattered.',
  'Our auditors asked for evidence that users could complete the top ten tasks, and we could not provide it.',
  'The vendor was capable, but we never gave them access to the people who actually did the work.',
  'We now run a dress rehearsal of the {SEARCH} with production-sized data before any go/no-go decision.',
  'Treating the {system} as a product with a standing team changed how we funded and staffed it.',
  'Call center volumes tripled in the first week, and the scripts did not cover half of the questions.',
  'We learned to ask which decisions the new system would automate and who would review them.',
  'The legislature set the deadline, so the real question was what we could safely leave out.',
  'We wrote acceptance criteria in the language of {stakeholder}, not the language of the requirements document.',
  'A weekly demo of working software did more for trust than any status report.',
  'Rollback was in the plan, but nobody had ever tried it, so it was not really a plan.',
  'The backlog of change requests told us the requirements had been written from the old screens.',
  'We paired each vendor lead with an agency counterpart who could make decisions the same day.',
  'Our risk register had forty items and none of them described what actually went wrong.',
  'It took a month of parallel running before the numbers matched closely enough to switch over.',
  'We found that county partners had built their own spreadsheets around the gaps in the old system.',
  'The best predictor of trouble was how often the {stage} plan changed without anyone saying why.',
]

const LIST_ITEMS = [
  'Name one accountable owner for every interface.',
  'Rehearse the {SEARCH} end to end with production-sized data.',
  'Publish defect counts by severity every week.',
  'Agree the go/no-go criteria before the date is announced.',
  'Put {stakeholder} in the room for design reviews.',
  'Pay the vendor for working releases, not documents.',
  'Keep the old system read-only for at least one full cycle.',
  'Budget for operations and support, not only the build.',
  'Test the rollback, not just the rollout.',
  'Measure whether people can finish the top tasks unaided.',
  'Write down every assumption and who will test it.',
  'Staff the help desk for three times the expected volume in week one.',
  'Run a pilot in two offices with different ways of working.',
  'Track decisions, not only actions, in the steering minutes.',
]

const CODE_BLOCKS = [
  '```sql\nselect status, count(*) as claims\nfrom claim\nwhere created_at >= date(\'now\', \'-7 days\')\ngroup by status\norder by claims desc;\n```',
  '```yaml\ncutover:\n  freeze_starts: "Friday 18:00"\n  rehearsals: 3\n  rollback_window_hours: 12\n  go_no_go: [defects_sev1 == 0, data_reconciled, helpdesk_staffed]\n```',
  '```text\nWeek 1: 14,203 calls (forecast 5,000)\nWeek 2:  9,870 calls\nWeek 3:  6,112 calls\n```',
  '```python\nmismatches = [r for r in legacy_rows if r.amount != converted[r.id].amount]\nprint(len(mismatches), "records need review")\n```',
]

const QUOTES = [
  'If the status report is green and the users are red, believe the users.',
  'A date is a decision, not a fact.',
  'Nobody ever got fired for delaying a go-live they could explain.',
  'We did not have a technology problem; we had an ownership problem.',
  'The requirements described the old system with a new coat of paint.',
]

const LINKS = [
  ['the audit report', 'https://www.example.gov/audits/2021-modernization-review'],
  ['the playbook we used', 'https://playbook.example.org/digital-services'],
  ['this write-up', 'https://blog.example.net/lessons-from-a-payroll-replacement'],
  ['the inspector general summary', 'https://oig.example.gov/reports/it-program-findings'],
  ['our go/no-go template', 'https://www.example.org/templates/go-no-go'],
] as const

function fill(template: string, random: Random): string {
  return template
    .replace(/\{system\}/g, () => random.pick(SYSTEMS))
    .replace(/\{stage\}/g, () => random.pick(STAGES))
    .replace(/\{Stage\}/g, () => capitalize(random.pick(STAGES)))
    .replace(/\{stakeholder\}/g, () => random.pick(STAKEHOLDERS))
    .replace(/\{problem\}/g, () => random.pick(PROBLEMS))
    .replace(/\{SEARCH\}/g, SEARCH_WORD)
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function threadTitle(random: Random): string {
  return capitalize(fill(random.pick(THREAD_TEMPLATES), random)).slice(0, 150)
}

function paragraph(random: Random, sentences: number, mention?: string): string {
  const parts: string[] = []
  for (let i = 0; i < sentences; i++) parts.push(fill(random.pick(SENTENCES), random))
  if (random.chance(0.25)) {
    const [label, url] = random.pick(LINKS)
    parts.splice(random.int(0, parts.length), 0, `See [${label}](${url}) for the details.`)
  }
  if (random.chance(0.15)) parts.push('We tracked it with a simple `status = pending_review` flag, nothing fancy.')
  if (random.chance(0.2)) {
    const i = random.int(0, parts.length - 1)
    parts[i] = parts[i].replace(/^(\S+ \S+ \S+)/, '**$1**')
  }
  if (mention) parts.push(`@${mention} described something very similar last year.`)
  return parts.join(' ')
}

function list(random: Random, ordered: boolean): string {
  const items = random.sample(LIST_ITEMS, random.int(3, 5)).map((item) => fill(item, random))
  return items.map((item, i) => (ordered ? `${i + 1}. ${item}` : `- ${item}`)).join('\n')
}

/**
 * A Markdown post of about `min`..`max` characters: paragraphs, lists, links, code and quotes,
 * the way members write. `mention` adds an @handle (linked when the member exists).
 */
export function postMarkdown(random: Random, options: { min?: number; max?: number; mention?: string } = {}): string {
  const min = options.min ?? 300
  const max = options.max ?? 1500
  // Right-skewed like real replies: most are a paragraph or two, a few run long.
  const target = Math.round(min + (max - min) * random.next() ** 1.7)
  const blocks: string[] = []
  let length = 0
  let mentionUsed = false
  while (length < target) {
    const kind = blocks.length === 0 ? 'p' : random.weighted([['p', 5], ['ul', 1.2], ['ol', 0.8], ['quote', 0.6], ['code', 0.5], ['h', 0.4]] as const)
    let block: string
    if (kind === 'p') {
      const mention = options.mention && !mentionUsed && random.chance(0.5) ? options.mention : undefined
      if (mention) mentionUsed = true
      block = paragraph(random, random.int(1, 4), mention)
    } else if (kind === 'ul' || kind === 'ol') block = list(random, kind === 'ol')
    else if (kind === 'quote') block = `> ${random.pick(QUOTES)}`
    else if (kind === 'code') block = random.pick(CODE_BLOCKS)
    else block = `### ${random.pick(['What worked', 'What did not', 'What I would do again', 'Where we are now', 'Our checklist'])}`
    if (length + block.length > max && length >= min) break
    blocks.push(block)
    length += block.length + 2
  }
  if (options.mention && !mentionUsed) blocks.push(`Thanks @${options.mention} for the pointer.`)
  let text = blocks.join('\n\n')
  if (text.length > max) text = text.slice(0, max).replace(/\s+\S*$/, '')
  // Never end on a heading or an unfinished code fence.
  if ((text.match(/```/g)?.length ?? 0) % 2 === 1) text += '\n```'
  return text
}

// ---------------------------------------------------------------------------------------------
// Cases

const PLACES = [
  'Northfield County', 'the State of Westmark', 'Riverside City', 'Harbor County', 'the Commonwealth of Eastvale',
  'Lakeshore Township', 'the Province of Marlow', 'Cedar Valley School District', 'the City of Port Ellis',
  'Summit County', 'the State of Pine Ridge', 'Greyrock Tribal Nation', 'the Ministry of Social Development of Avalon',
]

const CASE_TITLE_TEMPLATES = [
  '{Place} {system}: {turn}',
  '{turn} at {place}: the {system}',
  'The {place} {system} and the {stage} that {went}',
  'Replacing the {system} in {place}',
  '{Place}: {system} {stage} {went}',
]

const TURNS = [
  'a big-bang go-live that had to be rolled back', 'recovery through smaller releases', 'a vendor reset after two years',
  'a rushed launch under a statutory deadline', 'a quiet success built on a long pilot', 'a data migration that lost months',
  'cancelled after the third re-plan', 'a rescue led by an in-house product team', 'a cutover rehearsed five times',
]

const WENT = ['went wrong', 'nearly failed', 'was reset', 'finally worked', 'slipped a year', 'was cancelled']

export function caseTitle(random: Random): string {
  const title = random
    .pick(CASE_TITLE_TEMPLATES)
    .replace(/\{Place\}/g, () => capitalize(random.pick(PLACES)))
    .replace(/\{place\}/g, () => random.pick(PLACES))
    .replace(/\{turn\}/g, () => random.pick(TURNS))
    .replace(/\{went\}/g, () => random.pick(WENT))
  return capitalize(fill(title, random)).slice(0, 150)
}

export function caseSummary(random: Random): string {
  return [
    `A ${random.pick(SYSTEMS)} replacement ran into ${random.pick(PROBLEMS)} during the ${random.pick(STAGES)}.`,
    fill(random.pick(SENTENCES), random),
  ]
    .join(' ')
    .slice(0, 400)
}

export function caseJurisdiction(random: Random): string {
  return random.chance(0.5) ? `${capitalize(random.pick(PLACES))}, ${random.pick(['department of labor', 'human services agency', 'revenue department', 'county administration', 'courts', 'transport authority', 'health department'])}` : capitalize(random.pick(ORGANIZATIONS))
}

export const CONTRACT_MODELS = [
  'Fixed-price prime contract with a systems integrator',
  'Time-and-materials contract, later converted to fixed price',
  'In-house team with specialist contractors',
  'Software-as-a-service subscription with an implementation partner',
  'Multiple smaller contracts under a product owner in the agency',
  'Cooperative purchasing agreement with another state',
]

export function caseWhatHappened(random: Random): string {
  const sections = [
    paragraph(random, random.int(3, 5)),
    paragraph(random, random.int(3, 5)),
    `### The ${SEARCH_WORD}\n\n${paragraph(random, random.int(2, 4))}`,
    list(random, false),
    paragraph(random, random.int(2, 4)),
  ]
  if (random.chance(0.4)) sections.push(`> ${random.pick(QUOTES)}`)
  if (random.chance(0.3)) sections.push(paragraph(random, random.int(2, 3)))
  return sections.join('\n\n')
}

export function caseSentences(random: Random, count: number, bank: readonly string[]): string[] {
  return random.sample(bank, count).map((line) => fill(line, random))
}

export const ROOT_CAUSES = [
  'Requirements were copied from the legacy screens instead of the work people do.',
  'No single owner could make decisions across program and IT.',
  'The contract rewarded documents rather than working software.',
  'Data quality in the legacy system was never measured before conversion.',
  'The go-live date was fixed before the scope was understood.',
  'Testing used scripted cases rather than real, messy ones.',
  'Executive sponsorship faded after the first year.',
  'Operating costs were left out of the business case.',
  '{stakeholder} were consulted only after design was finished.',
  'Risks were recorded but never managed or escalated.',
]

export const LESSONS = [
  'Rehearse the cutover with production-sized data before setting a date.',
  'Fund the product team, not the project plan.',
  'Make one person accountable for each interface between systems.',
  'Judge each release by whether users can finish their work with it.',
  'Treat data migration as its own workstream from the start.',
  'Publish honest status, including bad news, on a fixed rhythm.',
  'Involve {stakeholder} in design from the first month.',
  'Keep a tested rollback path until the new system is stable.',
]

export const RECOMMENDATIONS = [
  'Define outcome measures before procurement and report against them.',
  'Split big-bang scope into releases that each deliver value.',
  'Require a go/no-go decision with written criteria agreed in advance.',
  'Staff operations and support before go-live, not after.',
  'Pay vendors on working, accepted releases.',
  'Test automated decisions with people who will review them.',
  'Hold an independent review at each major phase gate.',
]

export const CORRECTIVE_ACTIONS = [
  'Paused the rollout and ran a two-office pilot',
  'Brought product ownership in-house',
  'Renegotiated the contract around releases',
  'Added three full cutover rehearsals',
  'Created a data quality team for the conversion',
  'Appointed a single accountable executive',
  'Reopened the legacy system for a parallel run',
]

export const SOURCE_PUBLISHERS = ['Office of the State Auditor', 'Inspector General', 'Legislative Budget Office', 'National Audit Office', 'County Internal Audit', 'Member interviews']

export function caseSource(random: Random): { title: string; publisher: string; reference?: string; year?: number } {
  const year = random.int(2008, 2025)
  const source: { title: string; publisher: string; reference?: string; year?: number } = {
    title: `Review of the ${random.pick(SYSTEMS)} program`,
    publisher: random.pick(SOURCE_PUBLISHERS),
    year,
  }
  if (random.chance(0.6)) source.reference = `Report ${year}-${random.int(1, 60)}`
  return source
}

export function failureModeHow(random: Random, modeName: string): string {
  return `${capitalize(modeName.toLowerCase())} showed up as ${random.pick(PROBLEMS)} during the ${random.pick(STAGES)}.`.slice(0, 400)
}

export function outcomeDetail(random: Random): string {
  return `${fill(random.pick(SENTENCES), random)} ${fill(random.pick(SENTENCES), random)}`.slice(0, 1500)
}

// ---------------------------------------------------------------------------------------------
// Events

const EVENT_TOPICS = [
  'Rescuing a stalled {system}', 'Planning a {SEARCH} you can roll back', 'Outcome-based vendor contracts',
  'Human review of automated decisions', 'Data migration without surprises', 'Sponsorship that lasts',
  'From annual to monthly releases', 'Funding products, not projects', 'Testing with real users at scale',
  'Acting on audit findings', 'Go/no-go decisions that hold', 'Getting {stakeholder} into design early',
]

export function eventTitle(random: Random, kindLabel: string): string {
  return `${kindLabel}: ${fill(random.pick(EVENT_TOPICS), random)}`.slice(0, 150)
}

export function eventDescription(random: Random): string {
  return [
    paragraph(random, random.int(2, 4)),
    `**Who should come:** ${random.pick(['CIOs and program leaders', 'practitioners running a live program', 'anyone planning a go-live this year', 'program and IT leads together'])}.`,
    list(random, false),
    paragraph(random, random.int(1, 3)),
  ].join('\n\n')
}

export function eventRecap(random: Random): string {
  return [`### What we heard\n\n${paragraph(random, random.int(2, 4))}`, list(random, true)].join('\n\n')
}

export const VENUES = [
  ['State Capitol Annex, Room 210', '100 Capitol Way, Westmark'],
  ['Northfield County Government Center', '45 Main Street, Northfield'],
  ['Civic Innovation Hub', '12 Harbor Road, Port Ellis'],
  ['University Policy Lab', '800 College Avenue, Riverside'],
  ['Public Library Conference Center', '1 Library Plaza, Summit'],
] as const

export const HOSTS = ['SectorPulse editorial team', 'State CIO peer network', 'County IT leaders forum', 'Digital service alumni', 'Public program leaders circle']
