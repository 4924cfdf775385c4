// The AWS shared config and credentials files: INI as botocore reads it (Python's configparser), so a file the
// AWS CLI accepts reads the same here.

import { failure } from './errors.js';

/** A section's settings: lowercase keys to values. A nested sub-section (`s3 =` then indented lines) is a Map. */
export type Settings = Map<string, string | Map<string, string>>;

/**
 * Parses an INI text: `[section]` headers, `key = value` (or `key: value`) lines, full-line comments starting
 * with `#` or `;`, and indented continuation lines. Keys are lower-cased (configparser's default); a value is
 * kept as written (no inline comments, as in configparser). An empty value followed by indented `key = value`
 * lines is a nested sub-section, as botocore reads `s3 =\n  addressing_style = path`. Repeated sections merge,
 * later keys winning.
 *
 * @param label names the file in error messages. A malformed line is reported by its number, never by its text,
 * since it may hold a secret.
 */
export function parseIni(text: string, label: string): Map<string, Settings> {
  const sections = new Map<string, Settings>();
  let section: Settings | undefined;
  let key: string | undefined;
  let keyIndent = 0;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const bad = (n: number, what: string) =>
    failure(`${label} line ${n}: ${what}; fix that line (see https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html)`);
  const raw = new Map<Settings, Map<string, string>>();
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const indent = line.length - line.trimStart().length;
    if (section !== undefined && key !== undefined && indent > keyIndent) {
      // A continuation line: part of the value above.
      const values = raw.get(section)!;
      values.set(key, `${values.get(key)}\n${trimmed}`);
      return;
    }
    const header = /^\[(.*)\]$/.exec(trimmed);
    if (header) {
      const name = header[1]!.trim();
      if (name === '') throw bad(i + 1, 'expected a section name between [ and ]');
      section = sections.get(name);
      if (section === undefined) {
        section = new Map();
        sections.set(name, section);
        raw.set(section, new Map());
      }
      key = undefined;
      return;
    }
    const delimiter = /[=:]/.exec(trimmed);
    if (!delimiter || delimiter.index === 0) throw bad(i + 1, 'expected "[section]" or "key = value"');
    if (section === undefined) throw bad(i + 1, 'expected a "[section]" header before the first setting');
    key = trimmed.slice(0, delimiter.index).trim().toLowerCase();
    keyIndent = indent;
    raw.get(section)!.set(key, trimmed.slice(delimiter.index + 1).trim());
  });
  for (const [settings, values] of raw) {
    for (const [name, value] of values) settings.set(name, value.startsWith('\n') ? parseNested(value) : value);
  }
  return sections;
}

// botocore's _parse_nested: each line `key = value`, split at the first "=", lines without one ignored.
function parseNested(value: string): Map<string, string> {
  const nested = new Map<string, string>();
  for (const line of value.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) nested.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return nested;
}
