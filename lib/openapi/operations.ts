// Every HTTP operation Sockscope serves, one declaration each, in the order of the folders under
// app/ (and server/routes.ts for the snapshot upload). Parameters and bodies are the zod schemas
// the routes parse with; answers are the schemas of lib/openapi/answer-schemas.ts.
// test/integration/api/openapi.test.ts fails for a route missing here, or one declared here that
// does not exist, and checks every answer below against the real server.
import { alertListQuerySchema } from '@/lib/alerts/list-alerts';
import { bulkTriageRequestSchema, triageRequestSchema } from '@/lib/alerts/triage-alert';
import { MAX_ALERTS_PER_TRIAGE } from '@/lib/alerts/triage-limits';
import { auditQuerySchema } from '@/lib/audit/list-audit-log';
import { expectedListenerInputSchema } from '@/lib/expectations/expected-listeners';
import { expectedPackageInputSchema } from '@/lib/expectations/expected-packages';
import { hostListQuerySchema } from '@/lib/hosts/list-hosts';
import { latencyQuerySchema } from '@/lib/latency/latency-series';
import { promiscuousRuleInputSchema } from '@/lib/expectations/promiscuous-rules';
import { listenerSearchSchema } from '@/lib/search/find-listeners-on-port';
import { packageSearchSchema } from '@/lib/search/find-packages';
import { processSearchSchema } from '@/lib/search/find-processes-by-command';
import { exposureSearchSchema } from '@/lib/search/list-newly-exposed';
import { snapshotListQuerySchema } from '@/lib/snapshots/list-snapshots';
import { passwordChangeSchema } from '@/lib/users/passwords';
import * as answers from './answer-schemas';
import { accountWithRole, anyone, collector, named, signedInBrowser, type HeaderDoc, type OperationDeclaration } from './operation';
import {
  accountChangeSchema,
  credentialsSchema,
  diffQuerySchema,
  hostEnrolmentSchema,
  hostPathParameters,
  hostSnapshotPathParameters,
  newUserSchema,
  rowIdPathParameters,
  snapshotUploadDocumentSchema,
  socketsCsvQuerySchema,
  userPathParameters,
} from './request-schemas';

const viewer = accountWithRole('viewer');
const analyst = accountWithRole('analyst');
const admin = accountWithRole('admin');

const deleted = named('Deleted', answers.deletedAnswer);
const revoked = named('Revoked', answers.revokedAnswer);

const sessionCookieHeader: HeaderDoc = {
  description: 'The session cookie `sockscope_session` (HttpOnly, SameSite=Lax, 12 hours; Secure over HTTPS).',
  required: true,
  schema: { type: 'string', pattern: '^sockscope_session=' },
};

const shownOnce = 'The token is in this answer and nowhere else, ever: it is stored hashed.';

export const apiOperations: readonly OperationDeclaration[] = [
  // ── Your own account ─────────────────────────────────────────────────────────────────────────
  {
    method: 'POST',
    path: '/api/v1/account/password',
    operationId: 'changeOwnPassword',
    summary: 'Change your own password',
    description:
      'The current password is required (403 when wrong), checked under the same limits as signing in (429); the new one must differ from it. ' +
      'Every other session of the account ends, with its live connections; this one stays, and so do the account’s API tokens.',
    tag: 'Accounts',
    access: signedInBrowser,
    body: { schema: named('PasswordChange', passwordChangeSchema), reader: 'json' },
    answers: [{ status: 200, description: 'Changed.', json: named('PasswordChanged', answers.passwordChangedAnswer) }],
    errors: ['rate_limited'],
  },

  // ── Alerts and audit ─────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/v1/alerts',
    operationId: 'listAlerts',
    summary: 'List alerts, newest first',
    tag: 'Alerts',
    access: viewer,
    query: alertListQuerySchema,
    parameterNotes: {
      state: '`live`: open or acknowledged.',
      before: 'Only alerts with a smaller id: the next page after the last id seen.',
    },
    answers: [{ status: 200, description: 'The alerts.', json: named('AlertList', answers.alertListAnswer) }],
  },
  {
    method: 'POST',
    path: '/api/v1/alerts/{id}',
    operationId: 'triageAlert',
    summary: 'Acknowledge, reopen, close or annotate an alert',
    description: 'Written to the audit log; dashboards get an `alert:ack` event.',
    tag: 'Alerts',
    access: analyst,
    pathParameters: rowIdPathParameters,
    body: { schema: named('AlertTriage', triageRequestSchema), reader: 'json' },
    answers: [{ status: 200, description: 'The alert after the change.', json: named('AlertAnswer', answers.alertAnswer) }],
    errors: ['not_found', 'conflict'],
  },
  {
    method: 'POST',
    path: '/api/v1/alerts/triage',
    operationId: 'triageAlerts',
    summary: 'Acknowledge, reopen, close or annotate several alerts at once',
    description: `Up to ${MAX_ALERTS_PER_TRIAGE} alerts (a group on the alerts page), in one transaction: an unknown id (404, field \`ids\`) or a conflict changes none of them. Each alert gets its own audit entry and \`alert:ack\` event.`,
    tag: 'Alerts',
    access: analyst,
    body: { schema: named('AlertBulkTriage', bulkTriageRequestSchema), reader: 'json' },
    answers: [{ status: 200, description: 'The alerts after the change, in the order asked.', json: named('AlertList', answers.alertListAnswer) }],
    errors: ['not_found', 'conflict'],
  },
  {
    method: 'GET',
    path: '/api/v1/audit',
    operationId: 'listAuditLog',
    summary: 'Read the audit log, newest first',
    description: 'Who changed what and when: accounts, tokens, enrolments, alert triage, baselines and rules.',
    tag: 'Accounts',
    access: admin,
    query: auditQuerySchema,
    parameterNotes: { target: 'Only entries about this target, such as `user:alice` or `host:web-01`.', before: 'Only entries with a smaller id.' },
    answers: [{ status: 200, description: 'The entries.', json: named('AuditLog', answers.auditLogAnswer) }],
  },

  // ── Baselines, expected packages, promiscuous rules ─────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/v1/baselines',
    operationId: 'listBaselines',
    summary: 'List expected listeners',
    description: 'Listeners expected on a host, on hosts with a label, or everywhere: they raise no alert.',
    tag: 'Rules',
    access: viewer,
    answers: [{ status: 200, description: 'Every baseline, oldest first.', json: named('BaselineList', answers.baselineListAnswer) }],
  },
  {
    method: 'POST',
    path: '/api/v1/baselines',
    operationId: 'createBaseline',
    summary: 'Expect a listener',
    description: 'Give `host` or `label`, not both; neither: every host.',
    tag: 'Rules',
    access: analyst,
    body: { schema: named('BaselineInput', expectedListenerInputSchema), reader: 'json' },
    answers: [{ status: 201, description: 'The new baseline.', json: named('BaselineCreated', answers.baselineCreatedAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'DELETE',
    path: '/api/v1/baselines/{id}',
    operationId: 'deleteBaseline',
    summary: 'Stop expecting a listener',
    tag: 'Rules',
    access: analyst,
    pathParameters: rowIdPathParameters,
    answers: [{ status: 200, description: 'Deleted.', json: deleted }],
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/v1/expected-packages',
    operationId: 'listExpectedPackages',
    summary: 'List expected packages',
    description: 'Packages (by name glob) whose installation or change raises no alert; their removal still does.',
    tag: 'Rules',
    access: viewer,
    answers: [{ status: 200, description: 'Every expected package, oldest first.', json: named('ExpectedPackageList', answers.expectedPackageListAnswer) }],
  },
  {
    method: 'POST',
    path: '/api/v1/expected-packages',
    operationId: 'createExpectedPackage',
    summary: 'Expect a package',
    description: 'Give `host` or `label`, not both; neither: every host.',
    tag: 'Rules',
    access: analyst,
    body: { schema: named('ExpectedPackageInput', expectedPackageInputSchema), reader: 'json' },
    answers: [{ status: 201, description: 'The new expected package.', json: named('ExpectedPackageCreated', answers.expectedPackageCreatedAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'DELETE',
    path: '/api/v1/expected-packages/{id}',
    operationId: 'deleteExpectedPackage',
    summary: 'Stop expecting a package',
    tag: 'Rules',
    access: analyst,
    pathParameters: rowIdPathParameters,
    answers: [{ status: 200, description: 'Deleted.', json: deleted }],
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/v1/promiscuous-rules',
    operationId: 'listPromiscuousRules',
    summary: 'List interfaces allowed to be promiscuous',
    description: 'Name patterns of interfaces promiscuous by design (bridges, container veths): they raise no alert.',
    tag: 'Rules',
    access: viewer,
    answers: [{ status: 200, description: 'Every rule.', json: named('PromiscuousRuleList', answers.promiscuousRuleListAnswer) }],
  },
  {
    method: 'POST',
    path: '/api/v1/promiscuous-rules',
    operationId: 'createPromiscuousRule',
    summary: 'Allow interfaces matching a pattern to be promiscuous',
    tag: 'Rules',
    access: analyst,
    body: { schema: named('PromiscuousRuleInput', promiscuousRuleInputSchema), reader: 'json' },
    answers: [{ status: 201, description: 'The new rule.', json: named('PromiscuousRuleCreated', answers.promiscuousRuleCreatedAnswer) }],
    errors: ['conflict'],
  },
  {
    method: 'DELETE',
    path: '/api/v1/promiscuous-rules/{id}',
    operationId: 'deletePromiscuousRule',
    summary: 'Remove a promiscuous-interface rule',
    tag: 'Rules',
    access: analyst,
    pathParameters: rowIdPathParameters,
    answers: [{ status: 200, description: 'Deleted.', json: deleted }],
    errors: ['not_found'],
  },

  // ── Hosts ────────────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/v1/hosts',
    operationId: 'listHosts',
    summary: 'List the fleet, a page at a time',
    tag: 'Hosts',
    access: viewer,
    query: hostListQuerySchema,
    parameterNotes: {
      q: 'Part of the host name.',
      promiscuous: 'Only hosts with a promiscuous interface.',
      alerts: 'Only hosts with open alerts.',
      status: '`fresh`: on time; `late`: two intervals missed; `silent`: SOCKSCOPE_SILENT_AFTER_INTERVALS missed; `never`: no snapshot yet.',
    },
    answers: [{ status: 200, description: 'One page of hosts.', json: named('HostPage', answers.hostPageAnswer) }],
  },
  {
    method: 'POST',
    path: '/api/v1/hosts',
    operationId: 'enrollHost',
    summary: 'Enrol a host and issue its collector token',
    description: `Creates the host if needed and issues a new token; its other tokens stay valid. ${shownOnce}`,
    tag: 'Hosts',
    access: admin,
    body: { schema: named('HostEnrolment', hostEnrolmentSchema), reader: 'json' },
    answers: [{ status: 201, description: 'The host and its new token.', json: named('IssuedHostToken', answers.issuedHostTokenAnswer) }],
  },
  {
    method: 'GET',
    path: '/api/v1/hosts/{name}',
    operationId: 'getHost',
    summary: 'One host with its current sockets, processes, interfaces and packages',
    tag: 'Hosts',
    access: viewer,
    pathParameters: hostPathParameters,
    answers: [{ status: 200, description: 'The host as its latest snapshots left it.', json: named('HostDetail', answers.hostDetailAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/v1/hosts/{name}/diff',
    operationId: 'diffSnapshots',
    summary: 'What changed between two snapshots of a host, by meaning',
    description: 'Any two snapshots, in either order. Each section lists rows added, removed and changed (before, after, the fields that differ).',
    tag: 'Snapshots',
    access: viewer,
    pathParameters: hostPathParameters,
    query: diffQuerySchema,
    parameterNotes: { from: 'A snapshot id of this host.', to: 'A snapshot id of this host.' },
    answers: [{ status: 200, description: 'The diff.', json: named('SnapshotDiff', answers.snapshotDiffAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/v1/hosts/{name}/latency',
    operationId: 'getLatency',
    summary: 'Latency per traceroute run and hop for one target',
    description: 'Per run and hop: min, median, max RTT and loss; an mtr-style table over the window; latency jumps and inventory changes to mark on a chart.',
    tag: 'Snapshots',
    access: viewer,
    pathParameters: hostPathParameters,
    query: latencyQuerySchema,
    parameterNotes: { target: 'Default: the first target traced in the window.', since: 'An ISO time, or a duration back from now: `90m`, `24h`, `7d`.' },
    answers: [{ status: 200, description: 'The series.', json: named('LatencySeries', answers.latencySeriesAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/v1/hosts/{name}/snapshots',
    operationId: 'listSnapshots',
    summary: 'A host’s timeline: its snapshots, newest first',
    tag: 'Snapshots',
    access: viewer,
    pathParameters: hostPathParameters,
    query: snapshotListQuerySchema,
    parameterNotes: { before: 'Only snapshots with a smaller id.', changedOnly: 'Only snapshots that changed something.' },
    answers: [{ status: 200, description: 'The snapshots.', json: named('SnapshotList', answers.snapshotListAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/v1/hosts/{name}/snapshots/{id}',
    operationId: 'getSnapshot',
    summary: 'One stored snapshot, every section it collected',
    tag: 'Snapshots',
    access: viewer,
    pathParameters: hostSnapshotPathParameters,
    answers: [{ status: 200, description: 'The snapshot as stored.', json: named('StoredSnapshot', answers.storedSnapshotAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/v1/hosts/{name}/sockets.csv',
    operationId: 'getSocketsTable',
    summary: 'A snapshot’s sockets as the WebJob recipe’s pipe-delimited table',
    tag: 'Snapshots',
    access: viewer,
    pathParameters: hostPathParameters,
    query: socketsCsvQuerySchema,
    parameterNotes: { snapshot: 'A snapshot id of this host; default: its latest.' },
    answers: [
      {
        status: 200,
        description: 'The table, as a download.',
        mediaType: 'text/csv',
        text: answers.socketsCsvText,
        headers: {
          'Content-Disposition': {
            description: '`attachment; filename="NAME-sockets.csv"`',
            required: true,
            schema: { type: 'string', pattern: '^attachment; filename=' },
          },
        },
      },
    ],
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/v1/hosts/{name}/tokens',
    operationId: 'listHostTokens',
    summary: 'List a host’s collector tokens by prefix',
    tag: 'Hosts',
    access: admin,
    pathParameters: hostPathParameters,
    answers: [{ status: 200, description: 'The tokens, oldest first: prefixes only.', json: named('HostTokenList', answers.hostTokenListAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'POST',
    path: '/api/v1/hosts/{name}/tokens',
    operationId: 'rotateHostToken',
    summary: 'Rotate a host’s token: revoke every live one, issue one new',
    description: shownOnce,
    tag: 'Hosts',
    access: admin,
    pathParameters: hostPathParameters,
    answers: [{ status: 201, description: 'The new token.', json: named('IssuedHostToken', answers.issuedHostTokenAnswer) }],
    errors: ['not_found'],
  },
  {
    method: 'DELETE',
    path: '/api/v1/hosts/{name}/tokens',
    operationId: 'revokeHostTokens',
    summary: 'Revoke every token of a host',
    description: 'Its collector gets 401 until it is given a new token.',
    tag: 'Hosts',
    access: admin,
    pathParameters: hostPathParameters,
    answers: [{ status: 200, description: 'How many tokens were revoked.', json: revoked }],
    errors: ['not_found'],
  },

  // ── This document ────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tag: 'Operations',
    access: anyone,
    answers: [{ status: 200, description: 'The OpenAPI 3.1 document of the HTTP API.', json: named('OpenApiDocument', answers.openApiDocumentAnswer) }],
    usesDatabase: false,
  },

  // ── Fleet search ─────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/v1/search/exposed',
    operationId: 'searchNewlyExposed',
    summary: 'Listeners opened or widened lately, newest first',
    tag: 'Search',
    access: viewer,
    query: exposureSearchSchema,
    parameterNotes: { sinceMinutes: 'How far back, in minutes.' },
    answers: [{ status: 200, description: 'One page of listeners, from their alerts.', json: named('ExposedListenerPage', answers.exposedListenerPage) }],
  },
  {
    method: 'GET',
    path: '/api/v1/search/listeners',
    operationId: 'searchListeners',
    summary: 'Which hosts listen on a port now',
    tag: 'Search',
    access: viewer,
    query: listenerSearchSchema,
    parameterNotes: {
      port: 'A port, 0–65535.',
      namespace: '`any`: only listeners in a container or another network namespace; `none`: only the hosts’ own; default both.',
    },
    answers: [{ status: 200, description: 'One page of listeners.', json: named('ListenerMatchPage', answers.listenerMatchPage) }],
  },
  {
    method: 'GET',
    path: '/api/v1/search/packages',
    operationId: 'searchPackages',
    summary: 'Which hosts have a package now, or what was installed lately',
    description: 'Give `name`, or `appearedWithinMinutes`, or both (400 otherwise).',
    tag: 'Search',
    access: viewer,
    query: packageSearchSchema,
    parameterNotes: { appearedWithinMinutes: 'Only packages that appeared (installed or changed version) this many minutes back or less.' },
    answers: [{ status: 200, description: 'One page of packages.', json: named('PackageMatchPage', answers.packageMatchPage) }],
  },
  {
    method: 'GET',
    path: '/api/v1/search/processes',
    operationId: 'searchProcesses',
    summary: 'Which hosts run a command now',
    tag: 'Search',
    access: viewer,
    query: processSearchSchema,
    answers: [{ status: 200, description: 'One page of processes.', json: named('ProcessMatchPage', answers.processMatchPage) }],
  },

  // ── Session ──────────────────────────────────────────────────────────────────────────────────
  {
    method: 'POST',
    path: '/api/v1/session',
    operationId: 'signIn',
    summary: 'Sign in',
    description:
      'Ten attempts a minute per client address; an account with ten wrong passwords in a minute also refuses the addresses that failed on it, ' +
      'while others still get their try (429 with Retry-After). Unknown names and wrong passwords get the same 401.',
    tag: 'Accounts',
    access: anyone,
    body: { schema: named('Credentials', credentialsSchema), reader: 'json' },
    answers: [
      {
        status: 200,
        description: 'Signed in: the session cookie is set.',
        json: named('SignedIn', answers.signedInAnswer),
        headers: { 'Set-Cookie': sessionCookieHeader },
      },
    ],
    errors: ['unauthorized', 'rate_limited'],
  },
  {
    method: 'DELETE',
    path: '/api/v1/session',
    operationId: 'signOut',
    summary: 'Sign out',
    description: 'Ends the session on the server, cuts its live connections and clears the cookie; without a session it just clears the cookie.',
    tag: 'Accounts',
    access: anyone,
    answers: [
      {
        status: 200,
        description: 'Signed out.',
        json: named('SignedOut', answers.signedOutAnswer),
        headers: {
          'Set-Cookie': { description: 'Clears `sockscope_session` (Max-Age=0).', required: true, schema: { type: 'string', pattern: '^sockscope_session=;' } },
        },
      },
    ],
  },

  // ── Snapshot upload (server.ts, server/ingest-endpoint.ts) ───────────────────────────────────
  {
    method: 'POST',
    path: '/api/v1/snapshots',
    operationId: 'postSnapshot',
    summary: 'Upload a snapshot (collectors)',
    description:
      'Checked in this order, each before the next costs anything: size (Content-Length over SOCKSCOPE_MAX_SNAPSHOT_BYTES → 413), the host token (401), one upload at a time ' +
      'per host and the per-host rate (429), bytes being received across hosts (503), a body that stalls (408, connection closed), the contract (400, or 413 for a ' +
      'list over its cap), the token’s own host (403), a delta against the wrong state (409), an ingest slot (503). The same idempotency key twice stores one ' +
      'snapshot and answers with the first id.',
    tag: 'Snapshots',
    access: collector,
    body: { schema: named('SnapshotUpload', snapshotUploadDocumentSchema), reader: 'snapshot' },
    answers: [
      { status: 202, description: 'Stored: a new snapshot.', json: named('AcceptedSnapshot', answers.acceptedSnapshotAnswer) },
      { status: 200, description: 'A replay: this idempotency key was stored before.', json: named('ReplayedSnapshot', answers.replayedSnapshotAnswer) },
    ],
    errors: ['request_timeout', 'conflict', 'rate_limited'],
  },

  // ── Accounts ─────────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/v1/users',
    operationId: 'listUsers',
    summary: 'List accounts',
    tag: 'Accounts',
    access: admin,
    answers: [{ status: 200, description: 'Every account.', json: named('UserList', answers.userListAnswer) }],
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    operationId: 'createUser',
    summary: 'Create an account',
    description: 'Without `password` the server generates one and answers it once.',
    tag: 'Accounts',
    access: admin,
    body: { schema: named('NewUser', newUserSchema), reader: 'json' },
    answers: [{ status: 201, description: 'The account.', json: named('CreatedUser', answers.createdUserAnswer) }],
    errors: ['conflict'],
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/{name}',
    operationId: 'updateUser',
    summary: 'Disable, re-enable or change the role of an account',
    description:
      'Disabling ends every session, revokes every API token and cuts live connections; re-enabling brings none back. An admin cannot disable or demote ' +
      'themselves, and the last enabled admin stays (409).',
    tag: 'Accounts',
    access: admin,
    pathParameters: userPathParameters,
    body: { schema: named('AccountChange', accountChangeSchema), reader: 'json' },
    answers: [{ status: 200, description: 'The account after the change.', json: named('UserAnswer', answers.userAnswer) }],
    errors: ['not_found', 'conflict'],
  },
  {
    method: 'POST',
    path: '/api/v1/users/{name}/api-tokens',
    operationId: 'issueApiToken',
    summary: 'Issue yourself an API token',
    description:
      `For the caller’s own account only: another account’s name gets 403, since its minter could act, and be audited, under that name. Other ` +
      `accounts get theirs from the server’s operator: \`npm run admin -- api-token NAME\`. Use it as \`Authorization: Bearer TOKEN\`; it acts ` +
      `with the account’s role. ${shownOnce}`,
    tag: 'Accounts',
    access: admin,
    pathParameters: userPathParameters,
    answers: [{ status: 201, description: 'The new token.', json: named('IssuedApiToken', answers.issuedApiTokenAnswer) }],
  },
  {
    method: 'DELETE',
    path: '/api/v1/users/{name}/api-tokens',
    operationId: 'revokeApiTokens',
    summary: 'Revoke every API token of an account',
    tag: 'Accounts',
    access: admin,
    pathParameters: userPathParameters,
    answers: [{ status: 200, description: 'How many tokens were revoked.', json: revoked }],
    errors: ['not_found'],
  },

  {
    method: 'POST',
    path: '/api/v1/users/{name}/password',
    operationId: 'resetPassword',
    summary: 'Reset another account’s password',
    description:
      'Sets a generated password and ends every session of the account, with its live connections; its API tokens stay valid (revoke them apart). ' +
      'Not your own (409): that needs the current password, at `POST /api/v1/account/password`.',
    tag: 'Accounts',
    access: admin,
    pathParameters: userPathParameters,
    answers: [{ status: 200, description: 'The new password.', json: named('PasswordReset', answers.passwordResetAnswer) }],
    errors: ['not_found', 'conflict'],
  },

  // ── Health and metrics ───────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/healthz',
    operationId: 'getHealth',
    summary: 'Liveness and database reachability, for load balancers',
    tag: 'Operations',
    access: anyone,
    answers: [{ status: 200, description: 'Up, and the database answers.', json: named('Health', answers.healthAnswer) }],
  },
  {
    method: 'GET',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description: 'Aggregate numbers only: snapshots by outcome, ingest time, hosts, open alerts by level, promiscuous interfaces, alert forwarding.',
    tag: 'Operations',
    access: anyone,
    answers: [{ status: 200, description: 'The metrics.', mediaType: 'text/plain', text: answers.metricsText }],
  },
];
