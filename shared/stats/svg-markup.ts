// The few SVG building blocks the charts written in Node need: escaped text, numbers short
// enough for coordinates, elements with attributes. Strings in, strings out: no DOM.

/** Text and attribute values with the five XML specials escaped. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A coordinate to 0.01 px, without trailing zeros: a curve of 2,000 points stays small. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export type Attributes = Readonly<Record<string, string | number | undefined>>;

function attributeList(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) => ` ${name}="${escapeXml(typeof value === 'number' ? px(value) : value!)}"`,
    )
    .join('');
}

/** An element; with no children it closes itself. Children are markup already. */
export function element(name: string, attributes: Attributes, ...children: string[]): string {
  const open = `<${name}${attributeList(attributes)}`;
  return children.length === 0 ? `${open}/>` : `${open}>${children.join('')}</${name}>`;
}

/** A text element holding `text`, escaped. */
export function textElement(attributes: Attributes, text: string): string {
  return `<text${attributeList(attributes)}>${escapeXml(text)}</text>`;
}

/** A path through the points, as an open polyline. */
export function polylinePath(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x)},${px(y)}`).join('');
}
