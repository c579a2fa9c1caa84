import { Form } from '@remix-run/react'
import { EVENT_FORMATS } from '../../db/schema'
import { EVENT_KINDS, FORMAT_LABELS, MATERIAL_SLOTS } from '../lib/event-fields'
import { ErrorSummary, SelectField, TextAreaField, TextField } from './forms'

type Values = Record<string, string | string[] | undefined>

interface EventFormProps {
  values: Values
  errors?: Record<string, string>
  themes: { slug: string; name: string }[]
  timeZones: string[]
  submitLabel: string
}

const text = (values: Values, key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '')

/** The organizer's event form; times are entered as wall-clock times in the chosen zone. */
export function EventForm({ values, errors, themes, timeZones, submitLabel }: EventFormProps) {
  const chosenThemes = new Set(Array.isArray(values.themes) ? values.themes : values.themes ? [values.themes] : [])
  return (
    <Form method="post" noValidate className="event-form">
      <ErrorSummary errors={errors} targets={{ themes: `theme-${themes[0]?.slug}` }} />
      <TextField name="title" label="Title" maxLength={150} defaultValue={text(values, 'title')} error={errors?.title} />
      <SelectField
        name="kind"
        label="Kind of event"
        required
        options={Object.entries(EVENT_KINDS).map(([value, label]) => ({ value, label }))}
        defaultValue={text(values, 'kind')}
        error={errors?.kind}
      />
      <TextAreaField name="description" label="Description" hint="Markdown works." rows={8} defaultValue={text(values, 'description')} error={errors?.description} />
      <div className="form-row">
        <TextField name="starts" label="Starts" type="datetime-local" hint="In the event's time zone." defaultValue={text(values, 'starts')} error={errors?.starts} />
        <TextField name="ends" label="Ends" type="datetime-local" defaultValue={text(values, 'ends')} error={errors?.ends} />
      </div>
      <SelectField
        name="timeZone"
        label="Time zone"
        options={timeZones.map((zone) => ({ value: zone, label: zone.replace(/_/g, ' ') }))}
        defaultValue={text(values, 'timeZone') || 'America/New_York'}
        error={errors?.timeZone}
      />
      <SelectField
        name="format"
        label="Format"
        options={EVENT_FORMATS.map((value) => ({ value, label: FORMAT_LABELS[value] }))}
        defaultValue={text(values, 'format') || 'virtual'}
        error={errors?.format}
      />
      <TextField name="venue" label="Venue (in person and hybrid)" maxLength={200} defaultValue={text(values, 'venue')} error={errors?.venue} />
      <TextField name="address" label="Address (in person and hybrid)" maxLength={300} defaultValue={text(values, 'address')} error={errors?.address} />
      <TextField
        name="joinUrl"
        label="Join link (virtual and hybrid)"
        hint="Shown only to members who are going."
        type="url"
        maxLength={500}
        defaultValue={text(values, 'joinUrl')}
        error={errors?.joinUrl}
      />
      <div className="form-row">
        <TextField name="capacity" label="Capacity (optional)" inputMode="numeric" hint="Leave empty for no limit." defaultValue={text(values, 'capacity')} error={errors?.capacity} />
        <TextField name="rsvpDeadline" label="RSVP deadline (optional)" type="datetime-local" defaultValue={text(values, 'rsvpDeadline')} error={errors?.rsvpDeadline} />
      </div>
      <TextField name="hosts" label="Hosts" maxLength={300} defaultValue={text(values, 'hosts')} error={errors?.hosts} />
      <TextField name="speakers" label="Speakers" maxLength={500} defaultValue={text(values, 'speakers')} error={errors?.speakers} />
      <fieldset className={errors?.themes ? 'field field--error' : 'field'} id="themes">
        <legend>Themes (up to 5 failure modes)</legend>
        {errors?.themes ? <span className="field-error">{errors.themes}</span> : null}
        <ul className="checkbox-grid">
          {themes.map((theme) => (
            <li key={theme.slug}>
              <input type="checkbox" id={`theme-${theme.slug}`} name="themes" value={theme.slug} defaultChecked={chosenThemes.has(theme.slug)} />
              <label htmlFor={`theme-${theme.slug}`}>{theme.name}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      <TextAreaField name="recap" label="Recap (after the event, optional)" hint="Markdown works: link notes or recordings." rows={5} defaultValue={text(values, 'recap')} error={errors?.recap} />
      <fieldset className="field" aria-describedby="materials-hint">
        <legend>Materials (after the event, optional)</legend>
        <span className="hint" id="materials-hint">
          Links to slides, a recording or notes: a label and an address starting with https:// or http://.
        </span>
        {MATERIAL_SLOTS.map((slot) => (
          <div className="form-row" key={slot}>
            <TextField
              name={`materialLabel${slot}`}
              label={`Label ${slot}`}
              maxLength={120}
              defaultValue={text(values, `materialLabel${slot}`)}
              error={errors?.[`materialLabel${slot}`]}
            />
            <TextField
              name={`materialUrl${slot}`}
              label={`Address ${slot}`}
              type="url"
              maxLength={1000}
              defaultValue={text(values, `materialUrl${slot}`)}
              error={errors?.[`materialUrl${slot}`]}
            />
          </div>
        ))}
      </fieldset>
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </Form>
  )
}
