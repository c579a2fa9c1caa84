// Helpers for the readiness self-assessment end-to-end tests: what the questions in
// content/readiness say (so the ranking, the score and the recommendations follow the content),
// answering the questionnaire, and reading the report.
import { readdirSync, readFileSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import matter from 'gray-matter'
import { curatedCases, failureModes } from './cases-helpers'
import { expect } from './fixtures'

export const LEVELS = ['Not yet', 'Partly', 'Mostly', 'Fully'] as const
export type Level = (typeof LEVELS)[number]
const LEVEL_KEYS = ['not-yet', 'partly', 'mostly', 'fully'] as const

export interface ReadinessQuestion {
  /** The file name without its number: "explicit-ownership" for 12-explicit-ownership.md. */
  slug: string
  order: number
  area: string
  question: string
  failureModes: string[]
}

/** The questions in the order the form asks them. */
export function readinessQuestions(): ReadinessQuestion[] {
  const dir = joinPath(process.cwd(), 'content/readiness')
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .map((file) => {
      const data = matter(readFileSync(joinPath(dir, file), 'utf8')).data as Record<string, unknown>
      return {
        slug: file.replace(/\.md$/, '').replace(/^\d+-/, ''),
        order: Number(data.order),
        area: String(data.area),
        question: String(data.question),
        failureModes: data.failure_modes as string[],
      }
    })
    .sort((a, b) => a.order - b.order)
}

export function questionByArea(area: string): ReadinessQuestion {
  const found = readinessQuestions().find((q) => q.area === area)
  if (!found) throw new Error(`No readiness question for the area ${area}`)
  return found
}

/** An answer for every question: the ones named get their level, every other one `rest`. */
export function answersFor(levels: Record<string, Level>, rest: Level = 'Fully'): Record<string, Level> {
  const areas = readinessQuestions().map((q) => q.area)
  for (const area of Object.keys(levels)) if (!areas.includes(area)) throw new Error(`No readiness area ${area}`)
  return Object.fromEntries(areas.map((area) => [area, levels[area] ?? rest]))
}

/** 0..100, as the report works it out: the share of the most every answer could score. */
export function expectedScore(answers: Record<string, Level>): number {
  const levels = Object.values(answers).map((level) => LEVELS.indexOf(level))
  return Math.round((levels.reduce((sum, n) => sum + n, 0) / (levels.length * (LEVELS.length - 1))) * 100)
}

/** The areas weakest first; ties keep the questions' order. */
export function expectedRanking(answers: Record<string, Level>): ReadinessQuestion[] {
  return [...readinessQuestions()].sort(
    (a, b) => LEVELS.indexOf(answers[a.area]) - LEVELS.indexOf(answers[b.area]) || a.order - b.order,
  )
}

/** The question's fieldset on the form, found by its question text. */
export function questionFieldset(page: Page, question: ReadinessQuestion): Locator {
  return page.locator('fieldset.question').filter({ has: page.locator('legend', { hasText: question.question }) })
}

/** The radio for one answer to one question. */
export function answerRadio(page: Page, question: ReadinessQuestion, level: Level): Locator {
  return page.locator(`input[type="radio"][name="answer-${question.slug}"][value="${LEVEL_KEYS[LEVELS.indexOf(level)]}"]`)
}

/** Chooses an answer by clicking its label, as a person would. */
export async function answer(page: Page, question: ReadinessQuestion, level: Level) {
  await questionFieldset(page, question).getByLabel(level, { exact: true }).check()
}

/** Answers every question at /readiness (already open) by area name, with optional notes. */
export async function answerAll(page: Page, answers: Record<string, Level>, notes: Record<string, string> = {}) {
  for (const question of readinessQuestions()) {
    const level = answers[question.area]
    if (level) await answer(page, question, level)
    if (notes[question.area]) await page.locator(`#note-${question.slug}`).fill(notes[question.area])
  }
}

/** Every radio shows `answers` (and nothing is checked for a question left out). */
export async function expectAnswers(page: Page, answers: Record<string, Level | undefined>) {
  for (const question of readinessQuestions()) {
    const level = answers[question.area]
    for (const candidate of LEVELS) {
      const radio = answerRadio(page, question, candidate)
      if (candidate === level) await expect(radio, `${question.area}: ${candidate}`).toBeChecked()
      else await expect(radio, `${question.area}: ${candidate}`).not.toBeChecked()
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The report

export function report(page: Page): Locator {
  return page.locator('.readiness-report')
}

export function scoreHeading(page: Page): Locator {
  return page.getByRole('heading', { level: 2, name: /^Overall readiness: \d+%$/ })
}

/** The rows of the ranked table as shown: [rank, area (then its question), answer, movement?]. */
export async function rankedRows(page: Page): Promise<string[][]> {
  // A form post's page streams in: read the table once all of it has arrived, not mid-way.
  await page.waitForLoadState('load')
  const rows = report(page).locator('table tbody tr')
  return rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim())),
  )
}

/** The row of the ranked table for one area. */
export function rankedRow(page: Page, area: string): Locator {
  return report(page)
    .locator('table tbody tr')
    .filter({ has: page.locator('th', { hasText: area }) })
}

/** The recommendation articles under "Where to start", in order. */
export function recommendations(page: Page): Locator {
  return report(page).locator('article.recommendation')
}

/** The prevention practices the report lists for an area: the first two of each mode, at most five. */
export function expectedPractices(question: ReadinessQuestion): string[] {
  const modes = failureModes()
  const practices = question.failureModes.flatMap((slug) => modes.find((m) => m.slug === slug)!.prevention.slice(0, 2))
  return [...new Set(practices)].slice(0, 5)
}

/** The curated cases that show at least one of the question's failure modes. */
export function casesTeaching(question: ReadinessQuestion): Map<string, string> {
  return new Map(
    curatedCases()
      .filter((c) => c.modes.some((m) => question.failureModes.includes(m)))
      .map((c) => [`/cases/${c.slug}`, c.title]),
  )
}

export function modeNames(question: ReadinessQuestion): string[] {
  const modes = failureModes()
  return question.failureModes.map((slug) => modes.find((m) => m.slug === slug)!.name)
}
