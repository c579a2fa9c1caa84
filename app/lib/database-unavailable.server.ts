import { type ActionFunction, json, type LoaderFunction, type ServerBuild } from '@remix-run/node'
import { isDatabaseUnavailable } from '../../db/client'
import { typedValues } from './forms'

export const DATABASE_UNAVAILABLE_MESSAGE =
  'SectorPulse cannot save anything right now because of a problem on our side. Nothing you did caused it. What you typed is still here: try again in a few minutes.'

/**
 * Every route's action and loader, answering 503 when SQLite fails for the machine's reasons
 * (a full disk, an I/O error) instead of the generic 500 page. An action's answer carries the
 * message in every shape the forms read (`error`, `errors.form`) and what was typed (`values`,
 * `body`), so the member gets their form back, filled in, on the page they were on.
 */
export function answeringDatabaseUnavailable(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {}
  for (const [id, route] of Object.entries(build.routes)) {
    const { action, loader } = route.module
    routes[id] = {
      ...route,
      module: {
        ...route.module,
        ...(action && { action: actionAnsweringUnavailable(action) }),
        ...(loader && { loader: loaderAnsweringUnavailable(loader) }),
      },
    }
  }
  return { ...build, routes }
}

function actionAnsweringUnavailable(action: ActionFunction): ActionFunction {
  return async (args) => {
    // The action reads the body; a copy keeps what was typed for the answer.
    const copy = args.request.clone()
    try {
      return await action(args)
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error
      console.error(`[database unavailable] ${args.request.method} ${new URL(args.request.url).pathname}`, error)
      const values = await copy.formData().then(typedValues, () => ({}) as Record<string, string>)
      return json(
        {
          error: DATABASE_UNAVAILABLE_MESSAGE,
          errors: { form: DATABASE_UNAVAILABLE_MESSAGE },
          values,
          ...('body' in values && { body: values.body }),
        },
        { status: 503, headers: { 'Retry-After': '60' } },
      )
    }
  }
}

function loaderAnsweringUnavailable(loader: LoaderFunction): LoaderFunction {
  return async (args) => {
    try {
      return await loader(args)
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error
      console.error(`[database unavailable] GET ${new URL(args.request.url).pathname}`, error)
      throw new Response(DATABASE_UNAVAILABLE_MESSAGE, { status: 503, headers: { 'Retry-After': '60' } })
    }
  }
}
