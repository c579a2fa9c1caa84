import { choiceId, type Errors } from './forms'
import { answerField, NOTE_MAX, noteField, READINESS_LEVELS } from '../lib/readiness-form'

export interface QuestionForForm {
  slug: string
  area: string
  question: string
  /** Standard questions carry guidance and what "fully" looks like; a team's own do not. */
  guidanceHtml?: string | null
  looksLike?: string[]
}

/** One question of a questionnaire: the four answers as radio buttons and an optional note. */
export function QuestionFieldset({ question: q, values, errors }: { question: QuestionForForm; values: Record<string, string>; errors: Errors }) {
  const error = errors?.[answerField(q.slug)]
  const noteError = errors?.[noteField(q.slug)]
  return (
    <li>
      <fieldset
        className={error ? 'field field--error question' : 'field question'}
        aria-describedby={q.guidanceHtml ? `${q.slug}-guidance` : undefined}
      >
        <legend>
          <span className="question__area">{q.area}</span>
          {q.question}
        </legend>
        {q.guidanceHtml ? <div className="hint prose" id={`${q.slug}-guidance`} dangerouslySetInnerHTML={{ __html: q.guidanceHtml }} /> : null}
        {q.looksLike?.length ? (
          <details className="question__looks-like">
            <summary>What “fully” looks like</summary>
            <ul>
              {q.looksLike.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </details>
        ) : null}
        {error ? (
          <span className="field-error" id={`${answerField(q.slug)}-error`}>
            <span className="visually-hidden">Error: </span>
            {error}
          </span>
        ) : null}
        <ul className="radio-list radio-list--inline">
          {READINESS_LEVELS.map((level, index) => (
            <li key={level.key}>
              <input
                type="radio"
                // The error summary links to the first choice of each question.
                id={choiceId(answerField(q.slug), level.key, index)}
                name={answerField(q.slug)}
                value={level.key}
                defaultChecked={values[answerField(q.slug)] === level.key}
                aria-describedby={error ? `${answerField(q.slug)}-error` : undefined}
              />
              <label htmlFor={choiceId(answerField(q.slug), level.key, index)}>{level.label}</label>
            </li>
          ))}
        </ul>
        <div className={noteError ? 'field field--error' : 'field'}>
          <label htmlFor={noteField(q.slug)}>Note (optional)</label>
          {noteError ? (
            <span className="field-error" id={`${noteField(q.slug)}-error`}>
              <span className="visually-hidden">Error: </span>
              {noteError}
            </span>
          ) : null}
          <textarea
            id={noteField(q.slug)}
            name={noteField(q.slug)}
            rows={2}
            maxLength={NOTE_MAX}
            defaultValue={values[noteField(q.slug)]}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={noteError ? `${noteField(q.slug)}-error` : undefined}
          />
        </div>
      </fieldset>
    </li>
  )
}
