import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // How an anonymized case names its author ("Anonymous tribal leader"), fixed when the case is
  // published. Worked out from the author's live profile instead, an edit of the profile would
  // change the label of every anonymous case at once, linking them to the author.
  await db.schema.alterTable('cases').addColumn('anonymous_label', 'text').execute()

  // Published cases keep the label they show today, in the words the app used when this was written.
  await sql`
    update cases set anonymous_label = (
      select 'Anonymous '
        || case u.government_level
             when 'federal' then 'federal '
             when 'state' then 'state '
             when 'local' then 'local '
             when 'tribal' then 'tribal '
             when 'international' then 'international '
             when 'not-government' then 'non-government '
             else ''
           end
        || case u.member_type
             when 'leader' then 'leader'
             when 'practitioner' then 'practitioner'
             when 'advisor' then 'advisor'
             when 'partner' then 'partner'
             else 'member'
           end
      from users u where u.id = cases.author_id
    )
    where status = 'published'
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('anonymous_label').execute()
}
