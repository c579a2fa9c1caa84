// Unknown addresses render the site's 404 page inside the full layout (with the root loader's data).
export async function loader() {
  throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
  return null
}
