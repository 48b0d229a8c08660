/**
 * `fedflow demo`: the whole local capability on built-in synthetic data, no downloads —
 * synthesise a site's normal traffic and a labelled test day with injected attacks, train,
 * evaluate and score. Each step is the same command a user would type.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';

type RunCommand = (args: string[]) => Promise<void>;

interface DemoOptions {
  out: string;
  flows: number;
  epochs: number;
}

export function registerDemo(program: Command, run: RunCommand): void {
  program
    .command('demo')
    .description(
      'run synth -> train -> evaluate -> score on built-in synthetic flows (about a minute)',
    )
    .option('--out <dir>', 'working directory for the demo files', 'demo-out')
    .option('--flows <n>', 'training flows to synthesise', Number, 60_000)
    .option('--epochs <n>', 'most training epochs', Number, 20)
    .action(async (options: DemoOptions) => {
      const dir = resolve(options.out);
      mkdirSync(dir, { recursive: true });
      const file = (name: string) => join(dir, name);
      const step = (text: string) => process.stderr.write(`\n== ${text}\n`);
      step(
        'synthesising a web-heavy site: normal traffic for training, then a test day with 5% attacks',
      );
      await run([
        'synth',
        '--profile',
        'web',
        '--flows',
        String(options.flows),
        '--seed',
        '1',
        '--out',
        file('train.conn.log'),
      ]);
      await run([
        'synth',
        '--profile',
        'web',
        '--flows',
        '20000',
        '--seed',
        '2',
        '--attack-share',
        '0.05',
        '--out',
        file('test.conn.log'),
      ]);
      step('training the categorical VAE on the normal traffic');
      await run([
        'train',
        '--data',
        file('train.conn.log'),
        '--format',
        'zeek',
        '--epochs',
        String(options.epochs),
        '--out',
        file('model'),
      ]);
      step('evaluating on the labelled test day');
      await run([
        'evaluate',
        '--model',
        file('model'),
        '--data',
        file('test.conn.log'),
        '--format',
        'zeek',
        '--json',
        file('evaluation.json'),
        '--roc',
        file('roc.svg'),
      ]);
      step('scoring the test day into alert lines');
      await run([
        'score',
        '--model',
        file('model'),
        '--data',
        file('test.conn.log'),
        '--format',
        'zeek',
        '--out',
        file('alerts.jsonl'),
      ]);
      process.stderr.write(
        `\ndemo files in ${dir}: model/, alerts.jsonl, evaluation.json, roc.svg\n`,
      );
    });
}
