// The API reports of the public entries (package.json exports ".", "./lite" and "./upload"), etc/sigv4.api.md,
// etc/sigv4-lite.api.md and etc/sigv4-upload.api.md, made by API Extractor (configs etc/api-extractor*.json):
//
//   npm run api-report            rewrites etc/*.api.md from src/ (commit them with the change that made them)
//   npm run api-report -- --check compares only, and exits 1 when a report differs
//
// test/api-report.test.ts runs the check in `npm test`. The declarations are emitted from src/ into a temp folder
// first, so dist/ (perhaps stale) is never read: one file at a time with ts.transpileDeclaration, which
// isolatedDeclarations (tsconfig.build.json) makes the same as tsc's output, in well under a second.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type ExtractorMessage,
} from '@microsoft/api-extractor';
import ts from 'typescript';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The public entries: package.json export, API Extractor config, declaration file, report. */
export const ENTRIES = [
  { entry: '.', config: 'etc/api-extractor.json', dts: 'index.d.ts', report: 'etc/sigv4.api.md' },
  { entry: './lite', config: 'etc/api-extractor.lite.json', dts: 'lite.d.ts', report: 'etc/sigv4-lite.api.md' },
  { entry: './upload', config: 'etc/api-extractor.upload.json', dts: 'upload.d.ts', report: 'etc/sigv4-upload.api.md' },
] as const;

export interface ApiReportResult {
  readonly entry: string;
  /** The checked-in report, relative to the repository root. */
  readonly report: string;
  /** The report made now differs from the checked-in one (in local mode: it was rewritten). */
  readonly changed: boolean;
  /** The diff of the report, when it changed (or that the checked-in one is missing). */
  readonly diff: string;
  /** API Extractor's errors: a failed compile or a broken config. (It throws on worse.) */
  readonly errors: readonly string[];
  /** API Extractor's warnings, less the one that says the report changed. */
  readonly warnings: readonly string[];
  /** Exports and members the report marks `(undocumented)`, as `Name` or `Name.member`. */
  readonly undocumented: readonly string[];
  /** Types that a public type names but the entry does not export (ae-forgotten-export). */
  readonly forgotten: readonly string[];
}

/** Writes the .d.ts of every file of tsconfig.build.json into `outDir`, by the layout tsc would give them. */
export function emitDeclarations(outDir: string): void {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.build.json: not read');
  const rootDir = config.options.rootDir ?? join(root, 'src');
  for (const fileName of config.fileNames) {
    const out = ts.transpileDeclaration(readFileSync(fileName, 'utf8'), {
      fileName,
      compilerOptions: config.options,
      reportDiagnostics: true,
    });
    if (out.diagnostics?.length) {
      throw new Error(
        ts.formatDiagnostics(out.diagnostics, {
          getCanonicalFileName: (f) => f,
          getCurrentDirectory: () => root,
          getNewLine: () => '\n',
        }),
      );
    }
    const target = join(outDir, relative(rootDir, fileName)).replace(/\.ts$/, '.d.ts');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
}

/** What a report marks: `(undocumented)` items as `Name` or `Name.member`, and the forgotten exports. */
export function readReport(text: string): { undocumented: string[]; forgotten: string[] } {
  const undocumented: string[] = [];
  const forgotten = [...text.matchAll(/\(ae-forgotten-export\) The symbol "([^"]+)"/g)].map((m) => m[1]!);
  const lines = text.split('\n');
  let top = '';
  const nameOf = (line: string): string =>
    /^\s*(?:(?:export|declare|default|abstract|readonly|static|const|let|var|function|interface|type|class|enum|namespace|get|set)\s+)*([\w$]+)/.exec(
      line,
    )?.[1] ?? line.trim();
  for (const [i, line] of lines.entries()) {
    if (/^\S/.test(line) && !line.startsWith('//') && !line.startsWith('}')) top = nameOf(line);
    if (!line.includes('(undocumented)')) continue;
    // The item is the next line that is not a comment.
    const next = lines.slice(i + 1).find((l) => !/^\s*\/\//.test(l)) ?? '';
    undocumented.push(/^\S/.test(next) ? nameOf(next) : `${top}.${nameOf(next)}`);
  }
  return { undocumented, forgotten };
}

/** Makes every report from src/ and compares each with etc/; `local` rewrites etc/ where they differ. */
export function apiReport(options: { readonly local: boolean }): ApiReportResult[] {
  const temp = mkdtempSync(join(tmpdir(), 'sigv4-api-'));
  try {
    emitDeclarations(join(temp, 'dts'));
    const configs = ENTRIES.map(({ config, dts }) => {
      const configObject = ExtractorConfig.loadFile(join(root, config));
      configObject.mainEntryPointFilePath = join(temp, 'dts', dts);
      configObject.apiReport = { ...configObject.apiReport!, reportTempFolder: join(temp, 'report') };
      return ExtractorConfig.prepare({
        configObject,
        configObjectFullPath: join(root, config),
        packageJsonFullPath: join(root, 'package.json'),
      });
    });
    // One program for every entry (the DOM lib is parsed once).
    const compilerState = CompilerState.create(configs[0]!, {
      additionalEntryPoints: configs.map((c) => c.mainEntryPointFilePath),
    });
    return ENTRIES.map(({ entry, report }, i) => {
      const errors: string[] = [];
      const warnings: string[] = [];
      let diff = existsSync(join(root, report)) ? '' : `${report} does not exist yet.`;
      const result = Extractor.invoke(configs[i]!, {
        localBuild: options.local,
        compilerState,
        printApiReportDiff: true,
        messageCallback: (message: ExtractorMessage) => {
          message.handled = true;
          const where = message.sourceFilePath
            ? `${relative(temp, message.sourceFilePath)}:${message.sourceFileLine}: `
            : '';
          const text = `${where}(${message.messageId}) ${message.text}`;
          if (message.messageId === 'console-api-report-diff') diff = message.text;
          else if (/^console-api-report-/.test(message.messageId)) return;
          else if (message.logLevel === ExtractorLogLevel.Error) errors.push(text);
          else if (message.logLevel === ExtractorLogLevel.Warning) warnings.push(text);
        },
      });
      const made = readFileSync(join(temp, 'report', report.replace(/^etc\//, '')), 'utf8');
      return { entry, report, changed: result.apiReportChanged, diff, errors, warnings, ...readReport(made) };
    });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** One paragraph per entry: the report's state and what it flags. */
export function summarize(results: readonly ApiReportResult[], local: boolean): string {
  return results
    .map((r) => {
      const state = r.changed ? (local ? 'rewritten' : 'DIFFERS from the checked-in file') : 'unchanged';
      const lines = [`API report ${r.report} (${r.entry}): ${state}`];
      if (r.errors.length) lines.push(`  ${r.errors.length} errors:`, ...r.errors.map((e) => `    ${e}`));
      if (r.forgotten.length)
        lines.push(
          `  ${r.forgotten.length} types named by the public API but not exported (ae-forgotten-export): ${r.forgotten.join(', ')}`,
        );
      if (r.undocumented.length)
        lines.push(`  ${r.undocumented.length} without a doc comment (ae-undocumented): ${r.undocumented.join(', ')}`);
      const other = r.warnings.filter((w) => !/\((?:ae-undocumented|ae-forgotten-export)\)/.test(w));
      if (other.length) lines.push(`  ${other.length} other warnings:`, ...other.map((w) => `    ${w}`));
      return lines.join('\n');
    })
    .join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const local = !process.argv.includes('--check');
  const results = apiReport({ local });
  console.log(summarize(results, local));
  if (results.some((r) => r.errors.length > 0)) process.exitCode = 1;
  else if (!local && results.some((r) => r.changed)) {
    for (const r of results.filter((r) => r.changed)) console.log(r.diff);
    console.log('The public API changed: run `npm run api-report` and commit etc/*.api.md.');
    process.exitCode = 1;
  } else if (local && results.some((r) => r.changed)) {
    console.log('Commit etc/*.api.md with the change that made them.');
  }
}
