// What the dashboard's charts show (validation loss, thresholds, update norms), read from the
// status snapshot; dashboard-plot.js draws them.
import { formatFpr, formatNorm } from './dashboard-format.js?token=__TOKEN__';
import { drawLineChart } from './dashboard-plot.js?token=__TOKEN__';

export function renderLossChart(status) {
  // A round reopened after a failure appears twice; its last loss stands.
  const losses = new Map();
  for (const round of status.rounds) {
    if (round.kind === 'train' && round.validationLoss !== null)
      losses.set(round.round, round.validationLoss);
  }
  const points = [...losses.entries()].sort((a, b) => a[0] - b[0]);
  drawLineChart('loss-chart', {
    emptyText: 'no training round yet',
    xName: 'training round',
    yName: 'loss (nats)',
    categories: points.map(([round]) => String(round)),
    series: [{ label: 'validation loss', values: points.map(([, loss]) => loss) }],
  });
}

/** What a triangle on the norm chart says when hovered. */
function markTitle(update, round) {
  const what = update.reason ?? `${update.action}, norm ${formatNorm(update.norm)}`;
  return `${update.site}, round ${round}: ${what}`;
}

/** One site's line: its norm per round (a log axis has no 0), clipped or excluded ones marked. */
function normSeries(site, rounds) {
  const updates = rounds.map(([, updates]) => updates.find((u) => u.site === site));
  return {
    label: site,
    values: updates.map((u) => (u !== undefined && u.norm > 0 ? u.norm : null)),
    marks: updates.flatMap((u, i) =>
      u !== undefined && u.norm > 0 && u.action !== 'kept'
        ? [{ index: i, title: markTitle(u, rounds[i][0]) }]
        : [],
    ),
  };
}

export function renderNormChart(status) {
  // As for the loss: a round reopened after a failure counts once, by its last attempt.
  const byRound = new Map();
  for (const round of status.rounds)
    if (round.updates.length > 0) byRound.set(round.round, round.updates);
  const rounds = [...byRound.entries()].sort((a, b) => a[0] - b[0]);
  const sites = [...new Set(rounds.flatMap(([, updates]) => updates.map((u) => u.site)))];
  drawLineChart('norm-chart', {
    emptyText: 'no training round screened yet',
    xName: 'training round',
    yName: 'update norm',
    yLog: true,
    categories: rounds.map(([round]) => String(round)),
    series: sites.map((site) => normSeries(site, rounds)),
  });
}

export function renderThresholdChart(status) {
  const history = [...status.thresholds].sort((a, b) => a.modelVersion - b.modelVersion);
  const fprs = [...new Set(history.flatMap((h) => h.targets.map((t) => t.fpr)))].sort(
    (a, b) => b - a,
  );
  drawLineChart('threshold-chart', {
    emptyText: 'no thresholds published yet',
    xName: 'model version',
    yName: 'threshold (nats)',
    categories: history.map((h) => `v${h.modelVersion}`),
    series: fprs.map((fpr) => ({
      label: formatFpr(fpr),
      values: history.map((h) => h.targets.find((t) => t.fpr === fpr)?.threshold ?? null),
    })),
  });
}
