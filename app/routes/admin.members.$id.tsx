import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ROLES } from '../../db/schema'
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../components/forms'
import { hasRole, requireRole } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { MEASURE_DURATIONS, memberActionSchema } from '../lib/member-moderation-validation'
import { MEASURE_NAMES } from '../lib/moderation-words'
import { publicServantVerificationSchema } from '../lib/user-validation'
import { setPublicServantVerification } from '../models/account.server'
import { getMemberForAdmin } from '../models/member-admin.server'
import { changeRole, liftMeasure, mayActOn, restrictMember } from '../models/member-moderation.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle(data ? `Manage ${data.member.displayName} (@${data.member.handle})` : 'Manage a member', 'Administration') },
]

async function loadMember(params: { id?: string }) {
  const member = /^\d{1,15}$/.test(params.id ?? '') ? await getMemberForAdmin(Number(params.id)) : undefined
  if (!member) throw new Response('This member does not exist.', { status: 404 })
  return member
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const moderator = await requireRole(request, 'moderator')
  const member = await loadMember(params)
  return json({ member, refusal: mayActOn(moderator, member), isAdmin: hasRole(moderator, 'admin'), isSelf: moderator.id === member.id })
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request, params }: ActionFunctionArgs) {
  const moderator = await requireRole(request, 'moderator')
  const member = await loadMember(params)
  const formData = await readForm(request)
  const values = typedValues(formData)
  // Several forms share the page: a field's id (and so its error) carries its form's name.
  const form = values.intent === 'lift' ? `lift-${values.measure}` : values.intent
  const fail = (errors: FieldErrors, status: number) =>
    json<ActionData>(
      { errors: Object.fromEntries(Object.entries(errors).map(([field, message]) => [field === 'form' ? field : `${form}-${field}`, message])), values },
      { status },
    )
  if (values.intent === 'verify') {
    const verification = parseForm(formData, publicServantVerificationSchema)
    if (!verification.ok) return fail(verification.errors, 400)
    const verified = verification.data.verified === 'yes'
    const done = await setPublicServantVerification(moderator, member.id, verified, verification.data.note)
    if (!done.ok) return fail({ form: done.message }, done.status)
    return redirectWithFlash(
      `/admin/members/${member.id}`,
      verified ? `${member.displayName} is now marked as a verified public servant.` : `The verified mark is removed from ${member.displayName}.`,
    )
  }
  const parsed = parseForm(formData, memberActionSchema)
  if (!parsed.ok) return fail(parsed.errors, 400)
  const input = parsed.data
  const outcome =
    input.intent === 'restrict'
      ? await restrictMember(moderator, member.id, {
          measure: input.measure,
          days: input.duration === 'indefinitely' ? null : Number(input.duration),
          reason: input.reason,
        })
      : input.intent === 'lift'
        ? await liftMeasure(moderator, member.id, input.measure, input.reason)
        : await changeRole(moderator, member.id, input.role, input.reason)
  if (!outcome.ok) return fail(outcome.field ? { [outcome.field]: outcome.message } : { form: outcome.message }, outcome.status)
  const done =
    input.intent === 'restrict'
      ? `${member.displayName} is ${MEASURE_NAMES[input.measure].done}. They are told why and how to appeal.`
      : input.intent === 'lift'
        ? `The ${input.measure === 'suspend' ? 'suspension' : 'silence'} of ${member.displayName} is lifted.`
        : `${member.displayName} is now a ${input.role}.`
  return redirectWithFlash(`/admin/members/${member.id}`, done)
}

const VERIFICATION_STATES = {
  email: 'Yes, by a confirmed government email address',
  moderator: 'Yes, by a moderator',
  none: 'No',
} as const

function ReasonField({ form, errors, defaultValue }: { form: string; errors?: FieldErrors; defaultValue?: string }) {
  return (
    <TextField
      name="reason"
      id={`${form}-reason`}
      label="Reason (logged; the member is told)"
      maxLength={500}
      required
      defaultValue={defaultValue}
      error={errors?.[`${form}-reason`]}
    />
  )
}

export default function ManageMember() {
  const { member, refusal, isAdmin, isSelf } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
  const typed = (intent: string, field: string) => (actionData?.values.intent === intent ? actionData.values[field] : undefined)
  return (
    <div className="form">
      <p className="breadcrumbs">
        <Link to="/admin/members">Members</Link>
      </p>
      <h1>
        {member.displayName} <span className="muted">@{member.handle}</span>
      </h1>
      <ErrorSummary errors={errors} />
      <dl className="decision">
        <dt>Email</dt>
        <dd>{member.email}</dd>
        <dt>Role</dt>
        <dd>{member.role}</dd>
        <dt>Standing</dt>
        <dd>
          {member.suspendedUntil ? `Suspended ${member.suspendedUntil}. ` : ''}
          {member.silencedUntil ? `Silenced ${member.silencedUntil}. ` : ''}
          {!member.suspendedUntil && !member.silencedUntil ? 'In good standing.' : ''}
        </dd>
        <dt>Verified public servant</dt>
        <dd>{VERIFICATION_STATES[member.publicServantVerifiedBy ?? 'none']}</dd>
      </dl>
      <p>
        <Link to={`/members/${member.handle}`}>Public profile</Link>
      </p>
      {refusal ? (
        <p className="notice">{refusal}</p>
      ) : (
        <>
          <h2>Silence or suspend</h2>
          <p>
            Silenced members can read but not post, flag, RSVP or submit cases. Suspended members are signed out at once and
            cannot sign in. The member is told who decided, why and how to appeal; a different moderator decides an appeal.
          </p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="restrict" />
            <SelectField
              name="measure"
              label="Measure"
              id="restrict-measure"
              defaultValue={typed('restrict', 'measure') ?? 'silence'}
              error={errors?.['restrict-measure']}
              options={[
                { value: 'silence', label: 'Silence (read only)' },
                { value: 'suspend', label: 'Suspend (cannot sign in)' },
              ]}
            />
            <SelectField
              name="duration"
              label="For how long"
              id="restrict-duration"
              defaultValue={typed('restrict', 'duration') ?? '7'}
              error={errors?.['restrict-duration']}
              options={MEASURE_DURATIONS.map((duration) => ({ value: duration.value, label: duration.label }))}
            />
            <ReasonField form="restrict" errors={errors} defaultValue={typed('restrict', 'reason')} />
            <button type="submit" className="button button--danger">
              Apply
            </button>
          </Form>
          {(['silence', 'suspend'] as const)
            .filter((measure) => (measure === 'suspend' ? member.suspendedUntil : member.silencedUntil))
            .map((measure) => (
              <Form method="post" noValidate key={measure}>
                <h2>Lift the {measure === 'suspend' ? 'suspension' : 'silence'}</h2>
                <input type="hidden" name="intent" value="lift" />
                <input type="hidden" name="measure" value={measure} />
                <ReasonField form={`lift-${measure}`} errors={errors} defaultValue={typed('lift', 'reason')} />
                <button type="submit" className="button button--secondary">
                  Lift the {measure === 'suspend' ? 'suspension' : 'silence'}
                </button>
              </Form>
            ))}
        </>
      )}
      <Form method="post" noValidate>
        <h2>Verify as a public servant</h2>
        <p>Mark a member you have checked another way (a partner firm, an advisor), or remove the mark. The note goes to the moderation log.</p>
        <input type="hidden" name="intent" value="verify" />
        <input type="hidden" name="verified" value={member.publicServantVerifiedBy ? 'no' : 'yes'} />
        <TextAreaField
          name="note"
          id="verify-note"
          label={member.publicServantVerifiedBy ? 'Why remove the mark' : 'How you verified them'}
          required
          maxLength={500}
          rows={3}
          defaultValue={typed('verify', 'note')}
          error={errors?.['verify-note'] ?? errors?.['verify-verified']}
        />
        <button type="submit" className="button button--secondary">
          {member.publicServantVerifiedBy ? 'Remove the verified mark' : 'Mark as a verified public servant'}
        </button>
      </Form>
      {isAdmin && !isSelf ? (
        <Form method="post" noValidate>
          <h2>Role</h2>
          <input type="hidden" name="intent" value="role" />
          <SelectField
            name="role"
            label="Role"
            id="role-role"
            defaultValue={typed('role', 'role') ?? member.role}
            error={errors?.['role-role']}
            options={ROLES.map((role) => ({ value: role, label: role }))}
          />
          <ReasonField form="role" errors={errors} defaultValue={typed('role', 'reason')} />
          <button type="submit" className="button button--secondary">
            Change role
          </button>
        </Form>
      ) : null}
    </div>
  )
}
