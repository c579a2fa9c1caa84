import { z } from 'zod'
import { singleLine } from './single-line'

export const CATEGORY_DESCRIPTION_MAX_LENGTH = 2000

const categoryFields = {
  name: singleLine(
    'Name',
    z
      .string({ required_error: 'Enter a name' })
      .min(2, 'Name must be at least 2 characters')
      .max(60, 'Name must be 60 characters or fewer'),
  ),
  description: z
    .string({ required_error: 'Enter a description' })
    .trim()
    .min(1, 'Enter a description')
    .max(CATEGORY_DESCRIPTION_MAX_LENGTH, `Description must be ${CATEGORY_DESCRIPTION_MAX_LENGTH} characters or fewer`),
}

const categoryId = z.coerce.number({ invalid_type_error: 'Choose a category' }).int().positive('Choose a category')

/** The forms of /admin/categories, told apart by their intent. */
export const categoryActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add'), ...categoryFields }),
  z.object({ intent: z.literal('edit'), id: categoryId, ...categoryFields }),
  z.object({ intent: z.literal('move'), id: categoryId, direction: z.enum(['up', 'down'], { errorMap: () => ({ message: 'Choose up or down' }) }) }),
])

export type CategoryInput = { name: string; description: string }
