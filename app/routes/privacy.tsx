import { SitePage, sitePageMeta } from '../components/site-page'
import { sitePageLoader } from '../lib/site-page.server'

export const loader = sitePageLoader('privacy')
export const meta = sitePageMeta
export default SitePage
