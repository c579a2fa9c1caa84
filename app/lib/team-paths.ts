/** Addresses of a team assessment's pages, shared by models (mail) and components (links). */
export const teamPath = (assessmentId: number) => `/readiness/teams/${assessmentId}`
export const discussionPath = (assessmentId: number, questionKey: string) => `${teamPath(assessmentId)}/discuss/${questionKey}`
export const invitationPath = (token: string) => `/readiness/teams/invitations/${token}`
export const sharePath = (token: string) => `/readiness/teams/shared/${token}`
