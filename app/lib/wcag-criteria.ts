// The WCAG 2.1 level A and AA success criteria, as the VPAT 2.5 "WCAG 2.x Report" table lists
// them. `untested` is what the conformance report says of a criterion when no test in the
// suite checks it: an honest level and remark from review, never a claim that a test passed.

export type ConformanceLevel = 'Supports' | 'Partially supports' | 'Does not support' | 'Not applicable'

export interface WcagCriterion {
  id: string
  name: string
  level: 'A' | 'AA'
  untested: { conformance: ConformanceLevel; remarks: string }
}

const reviewed = (remarks: string) => ({ conformance: 'Supports' as const, remarks: `Not checked by an automated test. ${remarks}` })
const noMedia = { conformance: 'Not applicable' as const, remarks: 'SectorPulse publishes no audio or video of its own; recordings in event recaps are links to other sites.' }

export const WCAG_21_CRITERIA: WcagCriterion[] = [
  { id: '1.1.1', name: 'Non-text Content', level: 'A', untested: reviewed('Images in posts are shown as links named by their alt text.') },
  { id: '1.2.1', name: 'Audio-only and Video-only (Prerecorded)', level: 'A', untested: noMedia },
  { id: '1.2.2', name: 'Captions (Prerecorded)', level: 'A', untested: noMedia },
  { id: '1.2.3', name: 'Audio Description or Media Alternative (Prerecorded)', level: 'A', untested: noMedia },
  { id: '1.2.4', name: 'Captions (Live)', level: 'AA', untested: noMedia },
  { id: '1.2.5', name: 'Audio Description (Prerecorded)', level: 'AA', untested: noMedia },
  { id: '1.3.1', name: 'Info and Relationships', level: 'A', untested: reviewed('') },
  { id: '1.3.2', name: 'Meaningful Sequence', level: 'A', untested: reviewed('Reading order follows the source order; no layout reorders content.') },
  { id: '1.3.3', name: 'Sensory Characteristics', level: 'A', untested: reviewed('Instructions name controls by their labels, not by shape or position.') },
  { id: '1.3.4', name: 'Orientation', level: 'AA', untested: reviewed('No page locks its orientation.') },
  { id: '1.3.5', name: 'Identify Input Purpose', level: 'AA', untested: reviewed('Personal-data fields carry autocomplete tokens.') },
  { id: '1.4.1', name: 'Use of Color', level: 'A', untested: reviewed('') },
  { id: '1.4.2', name: 'Audio Control', level: 'A', untested: noMedia },
  { id: '1.4.3', name: 'Contrast (Minimum)', level: 'AA', untested: reviewed('') },
  { id: '1.4.4', name: 'Resize text', level: 'AA', untested: reviewed('') },
  { id: '1.4.5', name: 'Images of Text', level: 'AA', untested: reviewed('The site uses no images of text.') },
  { id: '1.4.10', name: 'Reflow', level: 'AA', untested: reviewed('') },
  { id: '1.4.11', name: 'Non-text Contrast', level: 'AA', untested: reviewed('') },
  { id: '1.4.12', name: 'Text Spacing', level: 'AA', untested: reviewed('') },
  { id: '1.4.13', name: 'Content on Hover or Focus', level: 'AA', untested: reviewed('No content appears on hover or focus alone.') },
  { id: '2.1.1', name: 'Keyboard', level: 'A', untested: reviewed('') },
  { id: '2.1.2', name: 'No Keyboard Trap', level: 'A', untested: reviewed('No widget captures the Tab key.') },
  { id: '2.1.4', name: 'Character Key Shortcuts', level: 'A', untested: { conformance: 'Not applicable', remarks: 'The site has no single-character keyboard shortcuts.' } },
  { id: '2.2.1', name: 'Timing Adjustable', level: 'A', untested: reviewed('Sessions last 30 days and slide with use; forms keep what was typed after a refusal.') },
  { id: '2.2.2', name: 'Pause, Stop, Hide', level: 'A', untested: { conformance: 'Not applicable', remarks: 'Nothing moves, blinks, scrolls or updates automatically.' } },
  { id: '2.3.1', name: 'Three Flashes or Below Threshold', level: 'A', untested: { conformance: 'Not applicable', remarks: 'Nothing flashes.' } },
  { id: '2.4.1', name: 'Bypass Blocks', level: 'A', untested: reviewed('A "Skip to main content" link starts every page.') },
  { id: '2.4.2', name: 'Page Titled', level: 'A', untested: reviewed('') },
  { id: '2.4.3', name: 'Focus Order', level: 'A', untested: reviewed('') },
  { id: '2.4.4', name: 'Link Purpose (In Context)', level: 'A', untested: reviewed('') },
  { id: '2.4.5', name: 'Multiple Ways', level: 'AA', untested: reviewed('Navigation, search, theme pages and feeds reach every page.') },
  { id: '2.4.6', name: 'Headings and Labels', level: 'AA', untested: reviewed('Headings and labels describe their topic or purpose.') },
  { id: '2.4.7', name: 'Focus Visible', level: 'AA', untested: reviewed('') },
  { id: '2.5.1', name: 'Pointer Gestures', level: 'A', untested: { conformance: 'Not applicable', remarks: 'No action needs a path-based or multipoint gesture.' } },
  { id: '2.5.2', name: 'Pointer Cancellation', level: 'A', untested: reviewed('Controls act on release (native buttons and links).') },
  { id: '2.5.3', name: 'Label in Name', level: 'A', untested: reviewed('Accessible names begin with the visible label.') },
  { id: '2.5.4', name: 'Motion Actuation', level: 'A', untested: { conformance: 'Not applicable', remarks: 'Nothing responds to device motion.' } },
  { id: '3.1.1', name: 'Language of Page', level: 'A', untested: reviewed('') },
  { id: '3.1.2', name: 'Language of Parts', level: 'AA', untested: reviewed('Content is in English; members may quote other languages without marking them.') },
  { id: '3.2.1', name: 'On Focus', level: 'A', untested: reviewed('Focus never submits a form or moves to another page.') },
  { id: '3.2.2', name: 'On Input', level: 'A', untested: reviewed('Filters apply with a button; no select submits on change.') },
  { id: '3.2.3', name: 'Consistent Navigation', level: 'AA', untested: reviewed('One header and footer on every page.') },
  { id: '3.2.4', name: 'Consistent Identification', level: 'AA', untested: reviewed('') },
  { id: '3.3.1', name: 'Error Identification', level: 'A', untested: reviewed('') },
  { id: '3.3.2', name: 'Labels or Instructions', level: 'A', untested: reviewed('') },
  { id: '3.3.3', name: 'Error Suggestion', level: 'AA', untested: reviewed('Each field message says what to enter.') },
  { id: '3.3.4', name: 'Error Prevention (Legal, Financial, Data)', level: 'AA', untested: reviewed('Cancelling an event and deleting content ask for confirmation; posts keep their history.') },
  { id: '4.1.1', name: 'Parsing', level: 'A', untested: reviewed('Obsolete in WCAG 2.2; pages are generated by React with unique ids.') },
  { id: '4.1.2', name: 'Name, Role, Value', level: 'A', untested: reviewed('') },
  { id: '4.1.3', name: 'Status Messages', level: 'AA', untested: reviewed('') },
]
