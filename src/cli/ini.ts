// The AWS shared config and credentials files: INI as botocore reads it (Python's configparser), so a file the
// AWS CLI accepts reads the same here.

import { failure } from './errors.js';

/** A section's settings: lowercase keys to values. A nested sub-section (`s3 =` then indented lines) is a Map. */
export type Settings = Map<string, string | Map<string, string>>;

/**
 * Parses an INI text: `[section]` headers, `key = value` (or `key: value`) lines, full-line comments starting
 * with `#` or `;`, and indented continuation lines. Keys are lower-cased (configparser's default); a value is
 * kept as written (no inline comments, as in configparser). An empty value followed by indented `key = value`
 * lines is a nested sub-section, as botocore reads `s3 =\n  addressing_style = path`.
 *
 * A section twice in a file, or a key twice in a section, is refused, as the AWS CLI refuses it (botocore reads
 * with configparser in strict mode: DuplicateSectionError, DuplicateOptionError): merging them would take the key
 * id from one and the secret from another. Sections compare exactly, keys lower-cased. Inside a nested sub-section
 * a repeated key is not refused: botocore's `_parse_nested` keeps the last one, and so does this.
 *
 * @param label names the file in error messages. A malformed line is reported by its number, never by its text,
 * since it may hold a secret; a repeated key is named only when it looks like a setting's name.
 */
export function parseIni(text: string, label: string): Map<string, Settings> {
  const sections = new Map<string, Settings>();
  let section: Settings | undefined;
  let key: string | undefined;
  let keyIndent = 0;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const bad = (n: number, what: string) =>
    failure(
      `${label} line ${n}: ${what}; fix that line (see https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html)`,
    );
  const raw = new Map<Settings, Map<string, string>>();
  // Where each section's header and each of its keys first appeared (1-based lines), to name both of a pair.
  const sectionLines = new Map<string, number>();
  const keyLines = new Map<Settings, Map<string, number>>();
  let sectionName = '';
  const twice = (n: number, expected: string, got: string, first: number, configparser: string) =>
    failure(
      `${label} line ${n}: expected ${expected}, got ${got} (first on line ${first}); keep one of them (the AWS CLI refuses the file too: ${configparser})`,
    );
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
      const first = sectionLines.get(name);
      if (first !== undefined)
        throw twice(i + 1, 'each section once', `[${name}] again`, first, `section '${name}' already exists`);
      sectionLines.set(name, i + 1);
      sectionName = name;
      section = new Map();
      sections.set(name, section);
      raw.set(section, new Map());
      keyLines.set(section, new Map());
      key = undefined;
      return;
    }
    const delimiter = /[=:]/.exec(trimmed);
    if (!delimiter || delimiter.index === 0) throw bad(i + 1, 'expected "[section]" or "key = value"');
    if (section === undefined) throw bad(i + 1, 'expected a "[section]" header before the first setting');
    key = trimmed.slice(0, delimiter.index).trim().toLowerCase();
    const seen = keyLines.get(section)!;
    const first = seen.get(key);
    // A key is named if it looks like one: a value pasted on a line of its own can hold a "=" too.
    if (first !== undefined) {
      const shown = /^[a-z][\w.-]{0,63}$/.test(key) ? key : undefined;
      throw twice(
        i + 1,
        'each key once in a section',
        `${shown ?? 'a key'} again in [${sectionName}]`,
        first,
        `option '${shown ?? '…'}' in section '${sectionName}' already exists`,
      );
    }
    seen.set(key, i + 1);
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
