/** @module The CLI's output streams, injectable so commands can be tested in-process. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Control characters other than newline and tab, shown as escapes: an actor name, a reason or a log
 * line from a user cannot move the cursor, erase a line or recolour the terminal (`--as $'x\e[2K\r…'`).
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    return code === 0x1b ? '\\e' : code === 0x0d ? '\\r' : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

const line = (text: string) => printable(text.endsWith('\n') ? text.slice(0, -1) : text) + '\n';

export const processIO: CliIO = {
  out: (text) => process.stdout.write(line(text)),
  err: (text) => process.stderr.write(line(text)),
};
