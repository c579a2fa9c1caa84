import { Form, useFetcher } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { BUDGET_BANDS, CORRECTIVE_RESULTS } from '../lib/case-fields'
import { AVOIDED_ROWS, CONTRIBUTING_ROWS, CORRECTIVE_ROWS, type CaseFormState, MAX_SOURCES, sourceRowCount } from '../lib/case-form'
import { ErrorSummary, SelectField, TextAreaField as TextArea, TextField } from './forms'

type Terms = Record<'failure-mode' | 'phase' | 'level' | 'domain' | 'outcome', { slug: string; name: string }[]>

interface CaseFormProps {
  form: CaseFormState
  terms: Terms
  errors?: Record<string, string>
  /** Published cases are edited in place; drafts are saved and submitted for review. */
  mode: 'draft' | 'published'
  /** The draft's own address; a new case has none until its first save. */
  autosaveAction?: string
  savedAt?: string | null
  /** The source row "Add another source" just added, which takes focus. */
  focusSource?: number
}

/** One source row's fields, in the order a citation reads. */
const SOURCE_FIELDS: {
  name: 'sourceTitle' | 'sourcePublisher' | 'sourceDate' | 'sourceNumber' | 'sourceUrl'
  label: string
  maxLength: number
  hint?: string
  type?: 'url'
}[] = [
  { name: 'sourceTitle', label: 'Title', maxLength: 300 },
  { name: 'sourcePublisher', label: 'Publisher', maxLength: 200 },
  { name: 'sourceDate', label: 'Date', hint: '2017, 2017-03 or 2017-03-15', maxLength: 10 },
  { name: 'sourceNumber', label: 'Report number (optional)', maxLength: 100 },
  { name: 'sourceUrl', label: 'Web address (optional)', type: 'url', maxLength: 500 },
]

/**
 * The structured case form, in sections. Without JavaScript it saves and submits like any form;
 * with JavaScript it also saves the draft by itself a few seconds after each change.
 */
export function CaseForm({ form, terms, errors, mode, autosaveAction, savedAt, focusSource }: CaseFormProps) {
  const formRef = useRef<HTMLFormElement>(null)
  const autosave = useFetcher<{ savedAt?: string; id?: number }>()
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const [dirty, setDirty] = useState(false)
  useEffect(() => () => clearTimeout(timer.current), [])

  // A new case gets its id from the first autosave; later saves (and Submit) reuse that draft.
  const draftId = autosave.data?.id
  const target = autosaveAction ?? (draftId ? `/cases/submissions/${draftId}` : '/cases/new')

  function scheduleAutosave() {
    if (mode !== 'draft' || !formRef.current) return
    setDirty(true)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      if (!formRef.current) return
      const data = new FormData(formRef.current)
      data.set('intent', 'autosave')
      autosave.submit(data, { method: 'post', action: target })
      setDirty(false)
    }, 4000)
  }
  const lastSaved = autosave.data?.savedAt ?? savedAt
  const options = (facet: keyof Terms) => terms[facet].map((t) => ({ value: t.slug, label: t.name }))

  return (
    <Form
      method="post"
      action={mode === 'draft' ? target : undefined}
      noValidate
      ref={formRef}
      onChange={scheduleAutosave}
      // A save or submit supersedes any autosave still waiting to run.
      onSubmit={() => {
        clearTimeout(timer.current)
        setDirty(false)
      }}
      className="case-form"
    >
      {/* Enter in a field presses the form's first button: keep that a save, not "Add another source". */}
      <button type="submit" name="intent" value={mode === 'draft' ? 'save' : 'update'} className="visually-hidden" tabIndex={-1} aria-hidden="true">
        {mode === 'draft' ? 'Save draft' : 'Save changes'}
      </button>
      <ErrorSummary
        errors={errors}
        targets={{
          phases: `phase-${terms.phase[0]?.slug}`,
          contributing: 'contributingMode-0',
          avoided: 'avoidedMode-0',
          corrective: 'correctiveAction-0',
        }}
      />
      {mode === 'draft' ? (
        <p className="muted" aria-live="polite">
          {dirty ? 'Unsaved changes.' : lastSaved ? `Draft saved at ${new Date(lastSaved).toISOString().slice(11, 16)} UTC.` : 'Not saved yet.'}
        </p>
      ) : null}

      <fieldset className="form-section">
        <legend>1. The project</legend>
        <TextField name="title" label="Title" hint="Say what happened in a line, e.g. “Payroll go-live without a parallel run”." maxLength={150} defaultValue={form.title} error={errors?.title} />
        <TextArea name="summary" label="Summary" hint="One or two sentences a busy leader can scan (up to 400 characters)." defaultValue={form.summary} error={errors?.summary} rows={3} />
        <SelectField name="level" label="Level of government" required options={options('level')} defaultValue={form.level} error={errors?.level} />
        <SelectField name="domain" label="Domain" required options={options('domain')} defaultValue={form.domain} error={errors?.domain} />
        <TextField
          name="jurisdiction"
          label="Jurisdiction"
          hint="Name it, or describe it generally if you cannot: “a mid-size county human services agency”."
          maxLength={200}
          defaultValue={form.jurisdiction}
          error={errors?.jurisdiction}
        />
        <SelectField
          name="budgetBand"
          label="Budget"
          options={Object.entries(BUDGET_BANDS).map(([value, label]) => ({ value, label }))}
          defaultValue={form.budgetBand}
          error={errors?.budgetBand}
        />
        <TextField name="contractModel" label="Contract model" hint="For example: fixed-price systems integrator, in-house team, time and materials." maxLength={300} defaultValue={form.contractModel} error={errors?.contractModel} />
        <TextField name="years" label="Years" hint="For example: 2016–2019." maxLength={40} defaultValue={form.years} error={errors?.years} />
      </fieldset>

      <fieldset className="form-section">
        <legend>2. What happened</legend>
        <TextArea
          name="whatHappened"
          label="The driving event"
          hint="What was attempted, what went wrong (or right), when it surfaced and what it meant for the public. Markdown works."
          defaultValue={form.whatHappened}
          error={errors?.whatHappened}
          rows={12}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>3. Failure modes</legend>
        <SelectField
          name="primaryMode"
          label="Primary failure mode: what hurt the project most"
          hint="Leave it at “None” only for a project that avoided them all, and record below what it avoided."
          placeholder="None: it avoided them"
          options={options('failure-mode')}
          defaultValue={form.primaryMode}
          error={errors?.primaryMode}
        />
        <TextField name="primaryHow" label="How it showed up" maxLength={400} defaultValue={form.primaryHow} error={errors?.primaryHow} />
        <div className={errors?.contributing ? 'field field--error' : 'field'} id="contributing">
          <p className="field-label">Contributing failure modes (optional)</p>
          {errors?.contributing ? <span className="field-error">{errors.contributing}</span> : null}
          {Array.from({ length: CONTRIBUTING_ROWS }, (_, i) => (
            <div key={i} className="form-row">
              <div className="field">
                <label htmlFor={`contributingMode-${i}`}>Contributing mode {i + 1}</label>
                <select id={`contributingMode-${i}`} name="contributingMode" defaultValue={form.contributingMode[i] ?? ''}>
                  <option value="">None</option>
                  {terms['failure-mode'].map((t) => (
                    <option key={t.slug} value={t.slug}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`contributingHow-${i}`}>How it showed up</label>
                <input id={`contributingHow-${i}`} name="contributingHow" type="text" maxLength={400} defaultValue={form.contributingHow[i] ?? ''} />
              </div>
            </div>
          ))}
        </div>
        <div className={errors?.avoided ? 'field field--error' : 'field'} id="avoided">
          <p className="field-label">Failure modes avoided or overcome (optional)</p>
          <p className="hint">For a project that succeeded or recovered: the risks it beat, and how. They are not counted as failures.</p>
          {errors?.avoided ? <span className="field-error">{errors.avoided}</span> : null}
          {Array.from({ length: AVOIDED_ROWS }, (_, i) => (
            <div key={i} className="form-row">
              <div className="field">
                <label htmlFor={`avoidedMode-${i}`}>Avoided mode {i + 1}</label>
                <select id={`avoidedMode-${i}`} name="avoidedMode" defaultValue={form.avoidedMode[i] ?? ''}>
                  <option value="">None</option>
                  {terms['failure-mode'].map((t) => (
                    <option key={t.slug} value={t.slug}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`avoidedHow-${i}`}>How it was avoided or overcome</label>
                <input id={`avoidedHow-${i}`} name="avoidedHow" type="text" maxLength={400} defaultValue={form.avoidedHow[i] ?? ''} />
              </div>
            </div>
          ))}
        </div>
        <fieldset className={errors?.phases ? 'field field--error' : 'field'} id="phases">
          <legend>Phases where it bit</legend>
          {errors?.phases ? <span className="field-error">{errors.phases}</span> : null}
          <ul className="checkbox-grid">
            {terms.phase.map((t) => (
              <li key={t.slug}>
                <input type="checkbox" id={`phase-${t.slug}`} name="phases" value={t.slug} defaultChecked={form.phases.includes(t.slug)} />
                <label htmlFor={`phase-${t.slug}`}>{t.name}</label>
              </li>
            ))}
          </ul>
        </fieldset>
      </fieldset>

      <fieldset className="form-section">
        <legend>4. Causes and lessons</legend>
        <TextArea name="rootCauses" label="Root causes" hint="One per line." defaultValue={form.rootCauses} error={errors?.rootCauses} />
        <TextArea name="lessons" label="Lessons learned" hint="One per line." defaultValue={form.lessons} error={errors?.lessons} />
        <TextArea name="recommendations" label="Recommendations" hint="One per line, as advice to the next team." defaultValue={form.recommendations} error={errors?.recommendations} />
      </fieldset>

      <fieldset className="form-section" id="corrective">
        <legend>5. Corrective actions (optional)</legend>
        {errors?.corrective ? <span className="field-error">{errors.corrective}</span> : null}
        {Array.from({ length: CORRECTIVE_ROWS }, (_, i) => (
          <div key={i} className="form-row">
            <div className="field">
              <label htmlFor={`correctiveAction-${i}`}>Action {i + 1}</label>
              <input id={`correctiveAction-${i}`} name="correctiveAction" type="text" maxLength={600} defaultValue={form.correctiveAction[i] ?? ''} />
            </div>
            <div className="field">
              <label htmlFor={`correctiveWorked-${i}`}>Did it work?</label>
              <select id={`correctiveWorked-${i}`} name="correctiveWorked" defaultValue={form.correctiveWorked[i] ?? 'unknown'}>
                {Object.entries(CORRECTIVE_RESULTS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`correctiveNote-${i}`}>Evidence (optional)</label>
              <input id={`correctiveNote-${i}`} name="correctiveNote" type="text" maxLength={600} defaultValue={form.correctiveNote[i] ?? ''} />
            </div>
          </div>
        ))}
      </fieldset>

      <fieldset className="form-section">
        <legend>6. Outcome</legend>
        <SelectField name="outcome" label="Outcome" required options={options('outcome')} defaultValue={form.outcome} error={errors?.outcome} />
        <TextArea name="outcomeDetail" label="What the outcome was" hint="With figures where they are known and public." defaultValue={form.outcomeDetail} error={errors?.outcomeDetail} rows={4} />
      </fieldset>

      <fieldset className="form-section">
        <legend>7. Where this account comes from</legend>
        <fieldset
          className={errors?.provenance ? 'field field--error' : 'field'}
          aria-describedby={errors?.provenance ? 'provenance-error' : undefined}
        >
          <legend>Is this a first-hand account?</legend>
          {errors?.provenance ? (
            <span className="field-error" id="provenance-error">
              <span className="visually-hidden">Error: </span>
              {errors.provenance}
            </span>
          ) : null}
          <div className="checkbox-field">
            <input type="radio" id="provenance" name="provenance" value="first-hand" defaultChecked={form.provenance === 'first-hand'} />
            <label htmlFor="provenance">Yes: I was there (I worked on or closely with this project)</label>
          </div>
          <div className="checkbox-field">
            <input
              type="radio"
              id="provenance-public-record"
              name="provenance"
              value="public-record"
              defaultChecked={form.provenance === 'public-record'}
            />
            <label htmlFor="provenance-public-record">No: it is drawn from the public record (cite the sources below)</label>
          </div>
        </fieldset>
        <TextField
          name="firstHandStatement"
          label="If you were there: your role on the project"
          hint="Shown on the case, e.g. “I led the county’s data migration team”. An anonymous case shows it without your name."
          maxLength={400}
          defaultValue={form.firstHandStatement}
          error={errors?.firstHandStatement}
        />
        <div className="field">
          <p className="field-label">Sources</p>
          <p className="hint">
            Public reports and articles: audit office, inspector general, inquiry, court. Cite at least one unless the account is
            first-hand. Give a web address only if you have checked it.
          </p>
          {Array.from({ length: sourceRowCount(form) }, (_, i) => (
            <fieldset key={i} className="form-row source-row">
              <legend>Source {i + 1}</legend>
              {SOURCE_FIELDS.map(({ name, ...field }) => (
                <TextField
                  key={name}
                  name={name}
                  id={`${name}-${i}`}
                  {...field}
                  defaultValue={form[name][i] ?? ''}
                  error={errors?.[`${name}-${i}`]}
                  autoFocus={name === 'sourceTitle' && focusSource === i}
                />
              ))}
            </fieldset>
          ))}
          {sourceRowCount(form) < MAX_SOURCES ? (
            <button type="submit" name="intent" value="add-source" className="button button--secondary">
              Add another source
            </button>
          ) : null}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>8. Publication</legend>
        <div className="checkbox-field">
          <input type="checkbox" id="isAnonymous" name="isAnonymous" defaultChecked={form.isAnonymous} aria-describedby="isAnonymous-hint" />
          <label htmlFor="isAnonymous">Publish anonymously</label>
        </div>
        <p className="hint" id="isAnonymous-hint">
          The case then shows “Anonymous” with your member type and level of government, never your name or handle,
          anywhere on the site. Moderators can still see who wrote it.
        </p>
      </fieldset>

      <div className="form-actions">
        {mode === 'draft' ? (
          <>
            {/* Save comes first: pressing Enter in a field saves rather than submits for review. */}
            <button type="submit" name="intent" value="save" className="button button--secondary">
              Save draft
            </button>
            <button type="submit" name="intent" value="submit" className="button">
              Submit for review
            </button>
          </>
        ) : (
          <>
            <TextField name="note" label="What did you change? (shown in the history)" maxLength={300} error={errors?.note} />
            <button type="submit" name="intent" value="update" className="button">
              Save changes
            </button>
          </>
        )}
      </div>
    </Form>
  )
}
