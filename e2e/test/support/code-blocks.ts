import fs from 'node:fs';

/** One fenced code block of a Markdown file. */
export interface CodeBlock {
  lang: string;
  /** The `file=...` of the info string, when there is one. */
  file?: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Every fenced code block of `markdownPath`, in order. */
export function codeBlocks(markdownPath: string): CodeBlock[] {
  const lines = fs.readFileSync(markdownPath, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)?(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !lines[i].startsWith('```')) body.push(lines[i]);
    const file = /\bfile=(\S+)/.exec(open[2] ?? '')?.[1];
    blocks.push({ lang: open[1] ?? '', file, code: body.join('\n') + '\n', line: start + 1 });
  }
  return blocks;
}
