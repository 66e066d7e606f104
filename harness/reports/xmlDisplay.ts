/**
 * An XML document laid out for reading in the report: a document already on several lines is shown as it is; one
 * on a single line (as a signed DUIS document usually is) gets one element a line, indented by depth, an element
 * holding only text kept on its line. Only the displayed copy changes: reports/duis/ keeps the exact bytes.
 */
export function displayXml(xml: string): string {
  if (/>\s*\n\s*</.test(xml)) return xml;
  const tokens = xml.split(/(<[^>]*>)/).filter((token) => token !== '');
  let depth = 0;
  let out = '';
  // True from an opening tag until another tag: its closing tag then stays on the same line.
  let onlyTextSinceOpen = false;
  for (const token of tokens) {
    if (!token.startsWith('<')) {
      out += token;
      continue;
    }
    if (token.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      out += onlyTextSinceOpen ? token : `${newLine(out, depth)}${token}`;
      onlyTextSinceOpen = false;
      continue;
    }
    out += `${newLine(out, depth)}${token}`;
    const opens = !token.startsWith('<?') && !token.startsWith('<!') && !token.endsWith('/>');
    if (opens) depth += 1;
    onlyTextSinceOpen = opens;
  }
  return out;
}

function newLine(out: string, depth: number): string {
  return out === '' ? '' : `\n${'  '.repeat(depth)}`;
}
