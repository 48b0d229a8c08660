/**
 * The one file a consortium is provisioned from (`fedflow provision consortium.yaml`): who
 * takes part and where the coordinator listens, read from YAML or JSON and checked field by
 * field, so that a mistake is named (file, field, reason) before any key is generated.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, extname, resolve } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { validateIdentityName } from '../../shared/crypto/identity.js';
import { FLOW_FORMATS } from '../../shared/flows/formats.js';

export interface SiteDescription {
  readonly name: string;
  /** The site's flow files, as they are on the site's machine (empty: to be filled in there). */
  readonly files: readonly string[];
  readonly format: (typeof FLOW_FORMATS)[number];
  /**
   * A site that keeps its own key: its public key file and (with TLS) its certificate request
   * (`fedflow certs request`), paths resolved against the description's folder. Absent:
   * provision makes the site's keys.
   */
  readonly own?: { readonly publicKey: string; readonly csr: string | null };
}

export interface ConsortiumDescription {
  /** Names the consortium's CA. */
  readonly name: string;
  /** host:port the sites dial; the coordinator's certificate names that host. */
  readonly address: { readonly host: string; readonly port: number };
  /** The address the coordinator listens on (default all interfaces, the address's port). */
  readonly listen: { readonly host: string; readonly port: number };
  /** Mutual TLS between the coordinator and the sites (default on). */
  readonly tls: boolean;
  /** Days the certificates are valid (default 365). */
  readonly validDays: number;
  readonly sites: readonly SiteDescription[];
  /** The auditor's kit name (default 'auditor'). */
  readonly auditor: string;
  /**
   * Further coordinator settings (federation, strategy, model, thresholds, privacy, ...),
   * written into its config as given and checked by the coordinator's own schema.
   */
  readonly coordinatorSettings: Readonly<Record<string, unknown>>;
}

const TOP_LEVEL = ['name', 'coordinator', 'tls', 'validDays', 'sites', 'auditor'];
const SITE_FIELDS = ['name', 'files', 'format', 'publicKey', 'csr'];
/** Coordinator settings a kit writes itself: the description may not set them. */
const KIT_OWNED = ['listen', 'stateDir', 'privateKey', 'clients', 'tls'];

/** A description that cannot be provisioned: names the file and the field. */
export class DescriptionError extends Error {
  constructor(file: string, field: string, reason: string) {
    super(`${file}: ${field}: ${reason}`);
    this.name = 'DescriptionError';
  }
}

/** Reads and checks a consortium description (.yaml, .yml or .json). */
export function readConsortiumDescription(file: string): ConsortiumDescription {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new DescriptionError(
      file,
      '(file)',
      `not valid ${extname(file) || 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return parseConsortiumDescription(raw, file, dirname(resolve(file)));
}

/** Checks an already parsed description; `file` names it in errors. */
export function parseConsortiumDescription(
  raw: unknown,
  file: string,
  baseDir = process.cwd(),
): ConsortiumDescription {
  const fail = (field: string, reason: string): never => {
    throw new DescriptionError(file, field, reason);
  };
  const top = object(raw, '(top level)', fail);
  for (const key of Object.keys(top))
    if (!TOP_LEVEL.includes(key)) fail(key, `unknown field (known: ${TOP_LEVEL.join(', ')})`);
  const name = text(top.name ?? 'fedflow consortium', 'name', fail);
  const coordinator = object(top.coordinator, 'coordinator', fail);
  const { address: addressText, listen: listenRaw, ...coordinatorSettings } = coordinator;
  for (const key of KIT_OWNED)
    if (key in coordinatorSettings)
      fail(`coordinator.${key}`, 'written by provision itself; leave it out');
  const address = hostPort(
    text(addressText, 'coordinator.address', fail),
    'coordinator.address',
    fail,
  );
  const listen =
    listenRaw === undefined
      ? { host: '0.0.0.0', port: address.port }
      : listenAddress(listenRaw, fail);
  const tls = top.tls ?? true;
  if (typeof tls !== 'boolean') fail('tls', `must be true or false, got ${JSON.stringify(tls)}`);
  const validDays = top.validDays ?? 365;
  if (!Number.isInteger(validDays) || (validDays as number) < 1)
    fail('validDays', `must be a whole number of days >= 1, got ${JSON.stringify(validDays)}`);
  const sites = siteList(top.sites, fail, baseDir);
  for (const [i, site] of sites.entries())
    if (site.own && tls && site.own.csr === null)
      fail(
        `sites[${i}].csr`,
        'missing: with TLS a site that keeps its own key sends its certificate request (fedflow certs request)',
      );
  const auditor = identityName(top.auditor ?? 'auditor', 'auditor', fail);
  const taken = new Set(['coordinator', 'ca']);
  for (const [i, site] of sites.entries()) {
    if (taken.has(site.name))
      fail(`sites[${i}].name`, `${JSON.stringify(site.name)} is taken by another party or kit`);
    taken.add(site.name);
  }
  if (taken.has(auditor)) fail('auditor', `${JSON.stringify(auditor)} is taken by another party`);
  return {
    name,
    address,
    listen,
    tls: tls as boolean,
    validDays: validDays as number,
    sites,
    auditor,
    coordinatorSettings,
  };
}

type Fail = (field: string, reason: string) => never;

function siteList(raw: unknown, fail: Fail, baseDir: string): SiteDescription[] {
  if (!Array.isArray(raw) || raw.length === 0) return fail('sites', 'must list at least one site');
  return raw.map((entry, i) => {
    const field = `sites[${i}]`;
    const site = typeof entry === 'string' ? { name: entry } : object(entry, field, fail);
    for (const key of Object.keys(site))
      if (!SITE_FIELDS.includes(key))
        fail(`${field}.${key}`, `unknown field (known: ${SITE_FIELDS.join(', ')})`);
    const files = site.files ?? [];
    if (!Array.isArray(files) || files.some((f) => typeof f !== 'string' || f === ''))
      fail(`${field}.files`, 'must be a list of file paths');
    const format = site.format ?? 'zeek';
    if (!FLOW_FORMATS.includes(format as never))
      fail(
        `${field}.format`,
        `must be one of ${FLOW_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
      );
    return {
      name: identityName(site.name, `${field}.name`, fail),
      files: files as string[],
      format: format as SiteDescription['format'],
      ...ownKeys(site, field, fail, baseDir),
    };
  });
}

/** A site's own public key and request, when it keeps its key (paths against `baseDir`). */
function ownKeys(site: Record<string, unknown>, field: string, fail: Fail, baseDir: string) {
  if (site.publicKey === undefined && site.csr === undefined) return {};
  const path = (value: unknown, name: string) =>
    resolve(baseDir, text(value, `${field}.${name}`, fail));
  return {
    own: {
      publicKey: path(site.publicKey, 'publicKey'),
      csr: site.csr === undefined ? null : path(site.csr, 'csr'),
    },
  };
}

function listenAddress(raw: unknown, fail: Fail) {
  const listen = object(raw, 'coordinator.listen', fail);
  const host = text(listen.host ?? '0.0.0.0', 'coordinator.listen.host', fail);
  const port = listen.port;
  if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)
    fail('coordinator.listen.port', `must be a port number, got ${JSON.stringify(port)}`);
  return { host, port: port as number };
}

function hostPort(value: string, field: string, fail: Fail) {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535)
    return fail(
      field,
      `must be host:port (an IPv6 address in brackets), got ${JSON.stringify(value)}`,
    );
  const host = (match[1] ?? match[2])!;
  if (match[1] && isIP(host) !== 6) fail(field, `${host} in brackets is not an IPv6 address`);
  return { host, port };
}

function identityName(value: unknown, field: string, fail: Fail): string {
  const name = text(value, field, fail);
  try {
    return validateIdentityName(name);
  } catch (error) {
    return fail(field, (error as Error).message);
  }
}

function text(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '')
    return fail(
      field,
      value === undefined ? 'missing' : `must be text, got ${JSON.stringify(value)}`,
    );
  return value;
}

function object(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(field, value === undefined ? 'missing' : 'must be a mapping of fields');
  return value as Record<string, unknown>;
}
