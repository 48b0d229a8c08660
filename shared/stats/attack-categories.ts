// The usual NSL-KDD / KDD Cup 99 grouping of attack names into four categories, so detection
// rates can be reported per category (test-only attacks included).

/** The four KDD attack categories. */
export type KddAttackCategory = 'dos' | 'probe' | 'r2l' | 'u2r';

/** Attack names per category, as listed in shared/datasets/nsl-kdd/README.md. */
export const KDD_ATTACKS_BY_CATEGORY: Readonly<Record<KddAttackCategory, readonly string[]>> = {
  dos: [
    'back',
    'land',
    'neptune',
    'pod',
    'smurf',
    'teardrop',
    'apache2',
    'mailbomb',
    'processtable',
    'udpstorm',
  ],
  probe: ['ipsweep', 'nmap', 'portsweep', 'satan', 'mscan', 'saint'],
  r2l: [
    'ftp_write',
    'guess_passwd',
    'imap',
    'multihop',
    'phf',
    'spy',
    'warezclient',
    'warezmaster',
    'named',
    'sendmail',
    'snmpgetattack',
    'snmpguess',
    'worm',
    'xlock',
    'xsnoop',
    'httptunnel',
  ],
  u2r: ['buffer_overflow', 'loadmodule', 'perl', 'rootkit', 'ps', 'sqlattack', 'xterm'],
};

/**
 * 'normal', a KDD category, or any other label used as its own category.
 * (`string & {}` keeps the known names visible to editors without narrowing the type.)
 */
export type FlowCategory = 'normal' | KddAttackCategory | (string & {});

const CATEGORY_OF_ATTACK: ReadonlyMap<string, KddAttackCategory> = new Map(
  Object.entries(KDD_ATTACKS_BY_CATEGORY).flatMap(([category, names]) =>
    names.map((name) => [name, category as KddAttackCategory] as const),
  ),
);

/**
 * The category of a flow label: 'normal' for normal traffic, the KDD category of a known attack
 * name, and the label itself otherwise, so other data sets' labels (a synthetic `scan`) are
 * categories of their own. Matching ignores case, surrounding spaces and KDD99's trailing dot
 * (`smurf.`); an unknown label comes back exactly as given.
 * @example attackCategory('mscan') // 'probe'
 */
export function attackCategory(label: string): FlowCategory {
  const name = label.trim().replace(/\.$/, '').toLowerCase();
  if (name === 'normal') return 'normal';
  return CATEGORY_OF_ATTACK.get(name) ?? label;
}
