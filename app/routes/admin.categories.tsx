import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, TextAreaField, TextField } from '../components/forms'
import { requireRole } from '../lib/auth.server'
import { CATEGORY_DESCRIPTION_MAX_LENGTH, categoryActionSchema } from '../lib/category-validation'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { addCategory, editCategory, listCategoriesForAdmin, moveCategory } from '../models/category.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Categories', 'Administration') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  return json({ categories: await listCategoriesForAdmin() })
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const formData = await readForm(request)
  const values = typedValues(formData)
  // Each category has its own form: a field's id (and so its error) carries its form's name.
  const form = values.intent === 'add' ? 'add' : `${values.intent}-${values.id}`
  const fail = (errors: FieldErrors, status: number) =>
    json<ActionData>(
      { errors: Object.fromEntries(Object.entries(errors).map(([field, message]) => [field === 'form' ? field : `${form}-${field}`, message])), values },
      { status },
    )
  const parsed = parseForm(formData, categoryActionSchema)
  if (!parsed.ok) return fail(parsed.errors, 400)
  const input = parsed.data
  const outcome =
    input.intent === 'add'
      ? await addCategory(admin, input)
      : input.intent === 'edit'
        ? await editCategory(admin, input.id, input)
        : await moveCategory(admin, input.id, input.direction)
  if (!outcome.ok) return fail(outcome.field ? { [outcome.field]: outcome.message } : { form: outcome.message }, outcome.status)
  const done =
    input.intent === 'add'
      ? `The category ${input.name} is added.`
      : input.intent === 'edit'
        ? `The category ${input.name} is saved.`
        : 'The order of categories is saved.'
  return redirectWithFlash('/admin/categories', done)
}

function CategoryFields({ form, errors, name, description }: { form: string; errors?: FieldErrors; name?: string; description?: string }) {
  return (
    <>
      <TextField name="name" id={`${form}-name`} label="Name" maxLength={60} required defaultValue={name} error={errors?.[`${form}-name`]} />
      <TextAreaField
        name="description"
        id={`${form}-description`}
        label="Description"
        hint="Markdown. Shown at the top of the category's discussions."
        maxLength={CATEGORY_DESCRIPTION_MAX_LENGTH}
        rows={4}
        required
        defaultValue={description}
        error={errors?.[`${form}-description`]}
      />
    </>
  )
}

export default function AdminCategories() {
  const { categories } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
  const typed = (form: string, field: string) => {
    const values = actionData?.values
    if (!values) return undefined
    const sentFrom = values.intent === 'add' ? 'add' : `${values.intent}-${values.id}`
    return sentFrom === form ? values[field] : undefined
  }
  return (
    <div className="form">
      <p className="breadcrumbs">
        <Link to="/admin/members">Members</Link> · <Link to="/moderation/log">Moderation log</Link>
      </p>
      <h1>Categories</h1>
      <ErrorSummary errors={errors} />
      <p>
        Discussion categories, in the order members see them. A category you add, rename or move here is yours from then
        on: the curated content files no longer change it. Every change is recorded in the{' '}
        <Link to="/moderation/log">moderation log</Link>.
      </p>
      <ol>
        {categories.map((category, index) => {
          const form = `edit-${category.id}`
          return (
            <li key={category.id}>
              <section aria-labelledby={`category-${category.id}`}>
                <h2 id={`category-${category.id}`}>{category.name}</h2>
                <p className="muted">
                  <Link to={`/discussions/c/${category.slug}`}>/discussions/c/{category.slug}</Link>
                  {category.editedByAdmin ? ' · Managed here' : ' · From the content files'}
                </p>
                <div>
                  {index > 0 ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="move" />
                      <input type="hidden" name="id" value={category.id} />
                      <input type="hidden" name="direction" value="up" />
                      <button type="submit" className="button button--secondary">
                        Move up<span className="visually-hidden"> {category.name}</span>
                      </button>
                    </Form>
                  ) : null}
                  {index < categories.length - 1 ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="move" />
                      <input type="hidden" name="id" value={category.id} />
                      <input type="hidden" name="direction" value="down" />
                      <button type="submit" className="button button--secondary">
                        Move down<span className="visually-hidden"> {category.name}</span>
                      </button>
                    </Form>
                  ) : null}
                </div>
                <details open={typed(form, 'intent') !== undefined}>
                  <summary>Rename or describe {category.name}</summary>
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="edit" />
                    <input type="hidden" name="id" value={category.id} />
                    <CategoryFields
                      form={form}
                      errors={errors}
                      name={typed(form, 'name') ?? category.name}
                      description={typed(form, 'description') ?? category.descriptionMd}
                    />
                    <button type="submit" className="button">
                      Save {category.name}
                    </button>
                  </Form>
                </details>
              </section>
            </li>
          )
        })}
      </ol>
      <h2>Add a category</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="add" />
        <CategoryFields form="add" errors={errors} name={typed('add', 'name')} description={typed('add', 'description')} />
        <button type="submit" className="button">
          Add the category
        </button>
      </Form>
    </div>
  )
}
