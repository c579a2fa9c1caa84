import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { choiceId, ErrorSummary, SelectField, TextField } from '../components/forms'
import { MarkdownEditor } from '../components/markdown-editor'
import { requireParticipant, requireUser } from '../lib/auth.server'
import { MAX_TAGS, newThreadSchema, TITLE_MAX } from '../lib/discussion-validation'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { listCategories } from '../models/category.server'
import { previewBody } from '../lib/preview.server'
import { listTerms } from '../models/taxonomy.server'
import { createThread } from '../models/thread.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Start a thread', 'Discussions') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  const [categories, tags] = await Promise.all([listCategories(), listTerms('failure-mode')])
  return json({
    categories: categories.map(({ slug, name }) => ({ slug, name })),
    tags: tags.map(({ slug, name }) => ({ slug, name })),
    category: new URL(request.url).searchParams.get('category') ?? '',
  })
}

type ActionData = { errors: FieldErrors; values: Record<string, string>; tags: string[]; previewHtml?: string }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireParticipant(request)
  const formData = await readForm(request)
  const values = typedValues(formData)
  const tags = formData.getAll('tags').filter((tag): tag is string => typeof tag === 'string')
  const answer = (status: number, data: Omit<ActionData, 'values' | 'tags'>) =>
    json<ActionData>({ ...data, values, tags }, { status })

  if (formData.get('intent') === 'preview') {
    const preview = await previewBody(user, formData, 'openingPost')
    return preview.ok ? answer(200, { errors: {}, previewHtml: preview.html }) : answer(preview.status, { errors: preview.errors })
  }
  const parsed = parseForm(formData, newThreadSchema)
  if (!parsed.ok) return answer(400, { errors: parsed.errors })

  const created = await createThread(user, {
    categorySlug: parsed.data.category,
    title: parsed.data.title,
    body: parsed.data.body,
    tagSlugs: parsed.data.tags,
  })
  if (!created.ok) return answer(created.status, { errors: { [created.field ?? 'form']: created.message } })
  return redirect(`/discussions/${created.value.id}/${created.value.slug}`)
}

export default function NewThread() {
  const { categories, tags, category } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const submitting = useNavigation().state === 'submitting'
  const errors = actionData?.errors
  const values = actionData?.values ?? {}
  const chosenTags = new Set(actionData?.tags ?? [])

  return (
    <div className="form form--wide">
      <p className="breadcrumbs">
        <Link to="/discussions">Discussions</Link>
      </p>
      <h1>Start a thread</h1>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <SelectField
          name="category"
          label="Category"
          placeholder="Choose a category"
          defaultValue={values.category ?? category}
          error={errors?.category}
          options={categories.map((c) => ({ value: c.slug, label: c.name }))}
        />
        <TextField
          name="title"
          label="Title"
          hint="8 to 150 characters. Say what happened or what you want to know."
          maxLength={TITLE_MAX}
          defaultValue={values.title}
          error={errors?.title}
        />
        <MarkdownEditor
          name="body"
          label="Your post"
          defaultValue={values.body}
          error={errors?.body}
          previewHtml={actionData?.previewHtml}
          rows={12}
          previewAs="openingPost"
        />
        <fieldset className={errors?.tags ? 'field field--error' : 'field'} aria-describedby={errors?.tags ? 'tags-hint tags-error' : 'tags-hint'}>
          <legend>Failure modes (optional)</legend>
          <span className="hint" id="tags-hint">
            Choose up to {MAX_TAGS}, so members who browse by theme find your thread.
          </span>
          {errors?.tags ? (
            <span className="field-error" id="tags-error">
              <span className="visually-hidden">Error: </span>
              {errors.tags}
            </span>
          ) : null}
          <ul className="checkbox-grid">
            {tags.map((tag, index) => (
              <li key={tag.slug}>
                <input type="checkbox" id={choiceId('tags', tag.slug, index)} name="tags" value={tag.slug} defaultChecked={chosenTags.has(tag.slug)} />
                <label htmlFor={choiceId('tags', tag.slug, index)}>{tag.name}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <button type="submit" className="button" disabled={submitting}>
          Post thread
        </button>
      </Form>
    </div>
  )
}
