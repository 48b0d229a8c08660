// The dashboard's text: the header's facts, the audit counts, and the sites, rounds and
// site-updates tables, each rebuilt from the status snapshot it is given.
import { byId, el, setText } from './dashboard-dom.js?token=__TOKEN__';
import {
  dash,
  formatAgo,
  formatCount,
  formatDuration,
  formatNorm,
  formatShare,
  formatTime,
} from './dashboard-format.js?token=__TOKEN__';

export function renderHeader(status) {
  const { coordinator, model } = status;
  document.title = `fedflow · ${coordinator.name}`;
  setText('coordinator-name', coordinator.name);
  setText('coordinator-fingerprint', coordinator.fingerprint);
  setText('job', `${status.job.id} · ${status.job.name}`);
  const phase = byId('phase');
  phase.textContent = status.phase;
  phase.className = `badge phase-${status.phase}`;
  const trained = new Set(
    status.rounds.filter((r) => r.kind === 'train' && r.outcome === 'closed').map((r) => r.round),
  ).size;
  setText('round-progress', `${trained} / ${status.plannedRounds} training`);
  setText('model-version', model === null ? 'none yet' : `v${model.version}`);
  setText('model-sha', model === null ? dash : model.sha256.slice(0, 12), model?.sha256 ?? '');
  setText('model-parameters', model === null ? dash : formatCount(model.parameters));
  setText('updated', formatTime(status.updatedMs).slice(11), formatTime(status.updatedMs));
  renderPrivacy(status.privacy);
}

// Differential privacy: epsilon spent (of the budget), hidden when the federation runs without.
function renderPrivacy(privacy) {
  byId('privacy-fact').hidden = privacy === null;
  if (privacy === null) return;
  const budget = privacy.epsilonBudget > 0 ? ` of ${privacy.epsilonBudget}` : '';
  setText(
    'privacy-epsilon',
    `ε ${privacy.epsilon.toFixed(2)}${budget} (δ ${privacy.delta})`,
    `noise multiplier ${privacy.noiseMultiplier}, clip norm ${privacy.clipNorm}, ${privacy.rounds} rounds; RDP bound ε ${privacy.rdpEpsilon.toFixed(2)}`,
  );
}

function emptyRow(columns, text) {
  const cell = el('td', { text, className: 'empty' });
  cell.colSpan = columns;
  return el('tr', {}, [cell]);
}

export function renderSites(status) {
  const rows = status.sites.map((site) =>
    el('tr', {}, [
      el('td', { text: site.name, className: 'name' }),
      el('td', { text: site.id, className: 'mono' }),
      el('td', {}, [
        el('span', {
          className: site.connected ? 'state on' : 'state off',
          text: site.connected ? 'connected' : 'disconnected',
        }),
      ]),
      el('td', {
        text: site.lastSeenMs === null ? 'never' : formatAgo(site.lastSeenMs, status.updatedMs),
        title: site.lastSeenMs === null ? '' : formatTime(site.lastSeenMs),
      }),
      el('td', { text: formatCount(site.trainingRoundsJoined), className: 'num' }),
      el('td', { text: site.flows === null ? '–' : formatCount(site.flows), className: 'num' }),
      el('td', {
        text: formatCount(site.rejectedMessages),
        className: site.rejectedMessages > 0 ? 'num warn-text' : 'num',
      }),
    ]),
  );
  byId('sites-body').replaceChildren(
    ...(rows.length > 0 ? rows : [emptyRow(7, 'no site enrolled yet')]),
  );
}

export function renderAudit(status) {
  const { audit } = status;
  setText('audit-entries', formatCount(audit.ingressEntries));
  setText('audit-accepted', formatCount(audit.accepted));
  setText('audit-rejected', formatCount(audit.rejected));
  byId('audit-rejected').className = audit.rejected > 0 ? 'warn-text' : '';
  setText('audit-last-hash', audit.lastEntryHash ?? 'no entry yet', audit.lastEntryHash ?? '');
}

function failureList(failures, roundReason) {
  if (failures.length === 0 && !roundReason)
    return [el('span', { text: dash, className: 'muted' })];
  const items = failures.map((failure) =>
    el('li', {}, [
      el('strong', { text: failure.site }),
      document.createTextNode(`: ${failure.reason}`),
    ]),
  );
  if (roundReason) items.push(el('li', { text: roundReason }));
  return [el('ul', { className: 'failures' }, items)];
}

export function renderJobs(status) {
  const rows = status.jobs.map((job) =>
    el('tr', { className: job.id === status.job.id ? 'current-job' : '' }, [
      el('td', { text: job.id, className: 'num' }),
      el('td', { text: job.name, className: 'name', title: job.dir }),
      el('td', { text: job.modelKind }),
      el('td', {
        text: Number.isFinite(job.plannedRounds) ? job.plannedRounds : dash,
        className: 'num',
      }),
      el('td', {}, [
        el('span', {
          text: job.phase,
          className: `badge phase-${job.phase}`,
          title: job.reason ?? '',
        }),
      ]),
      el('td', { text: job.modelVersion === null ? dash : `v${job.modelVersion}` }),
    ]),
  );
  byId('jobs-body').replaceChildren(...(rows.length > 0 ? rows : [emptyRow(6, 'no job yet')]));
}

export function renderRounds(status) {
  const newestFirst = [...status.rounds].sort(
    (a, b) => b.startedMs - a.startedMs || b.round - a.round,
  );
  const rows = newestFirst.map((round) =>
    el('tr', { className: `outcome-row-${round.outcome}` }, [
      el('td', { text: round.round, className: 'num', title: `task ${round.taskId}` }),
      el('td', { text: round.kind }),
      el('td', {}, [
        el('span', { text: round.outcome, className: `badge outcome-${round.outcome}` }),
      ]),
      el('td', {
        text: round.reported.length > 0 ? round.reported.join(', ') : dash,
        className: 'reported',
      }),
      el('td', {}, failureList(round.failures, round.reason)),
      el('td', {
        text: round.durationMs === null ? 'running' : formatDuration(round.durationMs),
        className: 'num',
        title: `started ${formatTime(round.startedMs)}`,
      }),
      el('td', { text: formatDuration(round.aggregateMs), className: 'num' }),
    ]),
  );
  byId('rounds-body').replaceChildren(...(rows.length > 0 ? rows : [emptyRow(7, 'no round yet')]));
}

/** The last training round the strategy screened (a reopened round's last attempt). */
function lastScreenedRound(status) {
  return [...status.rounds].reverse().find((round) => round.updates.length > 0);
}

export function renderUpdates(status) {
  const round = lastScreenedRound(status);
  setText('updates-round', round ? `round ${round.round} · ${round.strategy ?? 'unknown'}` : '');
  const rows = (round?.updates ?? []).map((update) =>
    el('tr', { className: `action-row-${update.action}` }, [
      el('td', { text: update.site, className: 'name' }),
      el('td', { text: formatNorm(update.norm), className: 'num', title: update.norm }),
      el('td', { text: update.cosine.toFixed(3), className: 'num', title: update.cosine }),
      el('td', { text: formatShare(update.weight), className: 'num', title: update.weight }),
      el('td', {}, [
        el('span', { text: update.action, className: `badge action-${update.action}` }),
      ]),
      el('td', { text: update.reason ?? dash, className: 'reason' }),
    ]),
  );
  byId('updates-body').replaceChildren(
    ...(rows.length > 0 ? rows : [emptyRow(6, 'no training round screened yet')]),
  );
}
